// The addon's entry point: version and ISA report, thread count, argument checks.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "common.h"

namespace tsdl {

dnnl::engine &cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream &cpuStream() {
  static dnnl::stream stream(cpuEngine());
  return stream;
}

static int gThreads = 0;

int threadCount() {
  if (gThreads <= 0) gThreads = std::max(1, omp_get_max_threads());
  return gThreads;
}

void setThreadCount(int n) {
  gThreads = std::max(1, n);
  omp_set_num_threads(gThreads);
}

SingleThreaded::SingleThreaded() { omp_set_num_threads(1); }
SingleThreaded::~SingleThreaded() { omp_set_num_threads(threadCount()); }

[[noreturn]] void fail(Napi::Env env, const std::string &message) {
  throw Napi::RangeError::New(env, "onednn: " + message);
}

float *floatData(const Napi::CallbackInfo &info, size_t index, const char *what, size_t expectedLength) {
  Napi::Env env = info.Env();
  if (info.Length() <= index || !info[index].IsTypedArray()) {
    throw Napi::TypeError::New(env, std::string("onednn: ") + what + " must be a Float32Array");
  }
  Napi::TypedArray ta = info[index].As<Napi::TypedArray>();
  if (ta.TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(env, std::string("onednn: ") + what + " must be a Float32Array");
  }
  Napi::Float32Array arr = ta.As<Napi::Float32Array>();
  if (arr.ElementLength() != expectedLength) {
    std::ostringstream msg;
    msg << what << " has " << arr.ElementLength() << " elements but its shape needs " << expectedLength;
    fail(env, msg.str());
  }
  return arr.Data();
}

float *optionalFloatData(const Napi::CallbackInfo &info, size_t index, const char *what, size_t expectedLength) {
  if (info.Length() <= index || info[index].IsNull() || info[index].IsUndefined()) return nullptr;
  return floatData(info, index, what, expectedLength);
}

std::vector<int64_t> intArray(const Napi::CallbackInfo &info, size_t index, const char *what, size_t count) {
  Napi::Env env = info.Env();
  if (info.Length() <= index || !info[index].IsArray()) {
    throw Napi::TypeError::New(env, std::string("onednn: ") + what + " must be an array of numbers");
  }
  Napi::Array arr = info[index].As<Napi::Array>();
  if (arr.Length() != count) {
    std::ostringstream msg;
    msg << what << " must have " << count << " numbers, got " << arr.Length();
    fail(env, msg.str());
  }
  std::vector<int64_t> out(count);
  for (uint32_t i = 0; i < count; i++) {
    Napi::Value v = arr.Get(i);
    if (!v.IsNumber()) throw Napi::TypeError::New(env, std::string("onednn: ") + what + " must hold numbers only");
    double d = v.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 1e12) {
      fail(env, std::string(what) + " must hold whole numbers");
    }
    out[i] = static_cast<int64_t>(d);
  }
  return out;
}

void appendActivation(dnnl::post_ops &ops, int activation, float alpha) {
  using dnnl::algorithm;
  switch (activation) {
    case kLinear: return;
    case kRelu: ops.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f); return;
    case kRelu6: ops.append_eltwise(1.f, algorithm::eltwise_clip, 0.f, 6.f); return;
    case kElu: ops.append_eltwise(1.f, algorithm::eltwise_elu, 1.f, 0.f); return;
    case kSigmoid: ops.append_eltwise(1.f, algorithm::eltwise_logistic, 0.f, 0.f); return;
    case kLeakyRelu: ops.append_eltwise(1.f, algorithm::eltwise_relu, alpha, 0.f); return;
    default: throw std::invalid_argument("unknown activation code");
  }
}

void applyActivation(float *d, size_t n, int activation, float alpha) {
  switch (activation) {
    case kLinear: return;
    case kRelu: for (size_t i = 0; i < n; i++) d[i] = d[i] > 0.f ? d[i] : 0.f; return;
    case kRelu6: for (size_t i = 0; i < n; i++) d[i] = std::min(6.f, std::max(0.f, d[i])); return;
    case kElu: for (size_t i = 0; i < n; i++) d[i] = d[i] >= 0.f ? d[i] : std::expm1(d[i]); return;
    case kSigmoid: for (size_t i = 0; i < n; i++) d[i] = 1.f / (1.f + std::exp(-d[i])); return;
    case kLeakyRelu: for (size_t i = 0; i < n; i++) d[i] = d[i] >= 0.f ? d[i] : alpha * d[i]; return;
    default: throw std::invalid_argument("unknown activation code");
  }
}

static const char *isaName(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
    case dnnl::cpu_isa::all: return "all";
    default: return "other";
  }
}

/** info() -> { version, isa, threads } */
static Napi::Value Info(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  const dnnl_version_t *v = dnnl_version();
  Napi::Object out = Napi::Object::New(env);
  std::ostringstream version;
  version << v->major << "." << v->minor << "." << v->patch;
  out.Set("version", version.str());
  out.Set("isa", isaName(dnnl::get_effective_cpu_isa()));
  out.Set("threads", threadCount());
  return out;
}

/** setThreads(n): threads for the primitives created from now on (and sgemm). */
static Napi::Value SetThreads(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "onednn: setThreads(n) needs a number");
  int n = info[0].As<Napi::Number>().Int32Value();
  if (n < 1 || n > 1024) fail(env, "setThreads: the thread count must be from 1 to 1024");
  setThreadCount(n);
  return Napi::Number::New(env, threadCount());
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  registerConv(env, exports);
  registerMatmul(env, exports);
  registerPool(env, exports);
  registerRows(env, exports);
  return exports;
}

}  // namespace tsdl

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return tsdl::Init(env, exports); }

NODE_API_MODULE(tsdl_onednn, InitAddon)
