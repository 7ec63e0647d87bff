// Shared plumbing of the oneDNN addon: the CPU engine and stream, argument checks that turn
// bad input into JavaScript errors, and the thread count the primitives are built for.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "oneapi/dnnl/dnnl.hpp"

namespace tsdl {

/** The one CPU engine and its in-order stream (created on first use). */
dnnl::engine &cpuEngine();
dnnl::stream &cpuStream();

/** Threads oneDNN computes with (OpenMP); primitives are cached per thread count. */
int threadCount();
void setThreadCount(int n);

/**
 * Runs the enclosing scope's OpenMP regions on one thread (then restores the count): for small
 * work such as a filter reorder, where waking a second thread costs more than it saves.
 */
class SingleThreaded {
 public:
  SingleThreaded();
  ~SingleThreaded();
  SingleThreaded(const SingleThreaded &) = delete;
  SingleThreaded &operator=(const SingleThreaded &) = delete;
};

/** A Float32Array argument's live data pointer; throws a TypeError naming `what` otherwise. */
float *floatData(const Napi::CallbackInfo &info, size_t index, const char *what, size_t expectedLength);

/** Like floatData, but `null`/`undefined` gives nullptr. */
float *optionalFloatData(const Napi::CallbackInfo &info, size_t index, const char *what, size_t expectedLength);

/** An array of `count` integers (a plain Array of numbers); throws a TypeError otherwise. */
std::vector<int64_t> intArray(const Napi::CallbackInfo &info, size_t index, const char *what, size_t count);

/** Throws a JavaScript Error (RangeError for shapes) with `message`. */
[[noreturn]] void fail(Napi::Env env, const std::string &message);

/** Activation codes shared with the TypeScript side (lib/backend/onednn/activation.ts). */
enum Activation : int { kLinear = 0, kRelu = 1, kRelu6 = 2, kElu = 3, kSigmoid = 4, kLeakyRelu = 5 };

/** Adds `activation` as an eltwise post-op (linear adds nothing). */
void appendActivation(dnnl::post_ops &ops, int activation, float alpha);

/** The same activation applied in place to n floats (used after sgemm). */
void applyActivation(float *data, size_t n, int activation, float alpha);

/** Registers this file group's functions on `exports`. */
void registerConv(Napi::Env env, Napi::Object exports);
void registerMatmul(Napi::Env env, Napi::Object exports);
void registerPool(Napi::Env env, Napi::Object exports);
void registerRows(Napi::Env env, Napi::Object exports);

}  // namespace tsdl
