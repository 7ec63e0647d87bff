// Matrix products (TensorFlow's BatchMatMul and _FusedMatMul) on oneDNN's sgemm: row-major
// float32, either operand transposed, batches of equal size or one side broadcast, bias over
// the last axis and an activation applied after the product.
#include <optional>
#include <sstream>

#include "common.h"

namespace tsdl {
namespace {

// Products smaller than this many multiply-adds run on one thread: waking OpenMP's other threads
// (they wait passively) costs more than they save. Measured from Node on 1 and 2 threads (AMD EPYC,
// AVX-512, quiet machine; time on 2 threads / time on 1): 32x784x100 (2.5 M) 1.66, 32x784x300
// (7.5 M, notebook 01's first layer) 1.07, 64x784x300 (15 M) 1.08, 128x784x300 (30 M) 0.82,
// 32x12544x128 (51 M) 0.38. Notebook 01's MLP epoch: 2.8-3.0 s with every product on 2 threads,
// 1.9-2.4 s with this rule.
constexpr double kOneThreadBelowMacs = 2e7;

/** matmul(a, b, bias | null, out, [batchA, batchB, M, K, N, transA, transB], activation, alpha) */
Napi::Value Matmul(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::vector<int64_t> d = intArray(info, 4, "matmul geometry", 7);
  const int64_t batchA = d[0], batchB = d[1], M = d[2], K = d[3], N = d[4];
  const bool transA = d[5] != 0, transB = d[6] != 0;
  for (int64_t v : {batchA, batchB, M, K, N}) {
    if (v < 1 || v > (int64_t{1} << 31)) fail(env, "matmul geometry: batch sizes and M, K, N must be at least 1");
  }
  if (batchA != batchB && batchA != 1 && batchB != 1) {
    std::ostringstream m;
    m << "matmul: batch sizes " << batchA << " and " << batchB << " do not broadcast (equal, or one of them 1)";
    fail(env, m.str());
  }
  const int64_t batch = batchA > batchB ? batchA : batchB;
  float *a = floatData(info, 0, "matmul a", static_cast<size_t>(batchA * M * K));
  float *b = floatData(info, 1, "matmul b", static_cast<size_t>(batchB * K * N));
  float *bias = optionalFloatData(info, 2, "matmul bias", static_cast<size_t>(N));
  float *c = floatData(info, 3, "matmul output", static_cast<size_t>(batch * M * N));
  if (info.Length() < 7 || !info[5].IsNumber() || !info[6].IsNumber()) throw Napi::TypeError::New(env, "onednn: matmul needs an activation code and alpha");
  const int act = info[5].As<Napi::Number>().Int32Value();
  const float alpha = info[6].As<Napi::Number>().FloatValue();
  if (act < kLinear || act > kLeakyRelu) fail(env, "matmul: unknown activation code");
  const int64_t lda = transA ? M : K, ldb = transB ? K : N;
  std::optional<SingleThreaded> oneThread;
  if (threadCount() > 1 && static_cast<double>(batch) * M * K * N < kOneThreadBelowMacs) oneThread.emplace();
  for (int64_t i = 0; i < batch; i++) {
    const float *ai = a + (batchA == 1 ? 0 : i) * M * K;
    const float *bi = b + (batchB == 1 ? 0 : i) * K * N;
    float *ci = c + i * M * N;
    if (bias != nullptr) {
      for (int64_t r = 0; r < M; r++) std::copy(bias, bias + N, ci + r * N);
    }
    dnnl_status_t st = dnnl_sgemm(transA ? 'T' : 'N', transB ? 'T' : 'N', M, N, K, 1.f, ai, lda, bi, ldb, bias != nullptr ? 1.f : 0.f, ci, N);
    if (st != dnnl_success) {
      std::ostringstream m;
      m << "matmul: oneDNN's sgemm failed with status " << static_cast<int>(st);
      throw Napi::Error::New(env, "onednn: " + m.str());
    }
  }
  applyActivation(c, static_cast<size_t>(batch * M * N), act, alpha);
  return env.Undefined();
}

}  // namespace

void registerMatmul(Napi::Env env, Napi::Object exports) {
  exports.Set("matmul", Napi::Function::New(env, Matmul));
}

}  // namespace tsdl
