// Max-pooling's gradient on NHWC tensors: each dy goes to the first maximum (row-major) of its
// window, as tfjs's cpu backend and lib/wasm-kernels' fast path do. Windows of one image never
// reach another image, so images run in parallel (OpenMP), each adding into its own dx.
#include <algorithm>
#include <cstring>
#include <limits>

#include "common.h"

namespace tsdl {
namespace {

/** maxPoolGrad(x, dy, dx, [N,H,W,C, fH,fW, oH,oW, sH,sW, padTop,padLeft]) */
Napi::Value MaxPoolGrad(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::vector<int64_t> g = intArray(info, 3, "pooling geometry", 12);
  const int64_t N = g[0], H = g[1], W = g[2], C = g[3], fH = g[4], fW = g[5], oH = g[6], oW = g[7], sH = g[8], sW = g[9], pT = g[10], pL = g[11];
  for (int64_t v : {N, H, W, C, fH, fW, oH, oW, sH, sW}) {
    if (v < 1 || v > (int64_t{1} << 31)) fail(env, "pooling geometry: sizes and strides must be at least 1");
  }
  if (pT < 0 || pL < 0 || pT >= fH || pL >= fW) fail(env, "pooling geometry: padding must be from 0 to the window size - 1");
  if ((oH - 1) * sH - pT >= H || (oW - 1) * sW - pL >= W) fail(env, "pooling geometry: the last window starts outside the input");
  const float *x = floatData(info, 0, "maxPoolGrad input", static_cast<size_t>(N * H * W * C));
  const float *dy = floatData(info, 1, "maxPoolGrad dy", static_cast<size_t>(N * oH * oW * C));
  float *dx = floatData(info, 2, "maxPoolGrad dx", static_cast<size_t>(N * H * W * C));
  std::memset(dx, 0, sizeof(float) * static_cast<size_t>(N * H * W * C));
  const int threads = static_cast<int>(std::min<int64_t>(threadCount(), N));
#pragma omp parallel num_threads(threads)
  {
    std::vector<float> best(static_cast<size_t>(C));
    std::vector<int64_t> where(static_cast<size_t>(C));
#pragma omp for schedule(static)
    for (int64_t n = 0; n < N; n++) {
      for (int64_t oh = 0; oh < oH; oh++) {
        for (int64_t ow = 0; ow < oW; ow++) {
          std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
          std::fill(where.begin(), where.end(), int64_t{-1});
          for (int64_t fh = 0; fh < fH; fh++) {
            const int64_t ih = oh * sH - pT + fh;
            if (ih < 0 || ih >= H) continue;
            for (int64_t fw = 0; fw < fW; fw++) {
              const int64_t iw = ow * sW - pL + fw;
              if (iw < 0 || iw >= W) continue;
              const int64_t base = ((n * H + ih) * W + iw) * C;
              for (int64_t c = 0; c < C; c++) {
                const float v = x[base + c];
                if (v > best[c] || where[c] < 0) {
                  best[c] = v;
                  where[c] = base + c;
                }
              }
            }
          }
          const int64_t gBase = ((n * oH + oh) * oW + ow) * C;
          for (int64_t c = 0; c < C; c++) {
            if (where[c] >= 0) dx[where[c]] += dy[gBase + c];
          }
        }
      }
    }
  }
  return env.Undefined();
}

}  // namespace

void registerPool(Napi::Env env, Napi::Object exports) {
  exports.Set("maxPoolGrad", Napi::Function::New(env, MaxPoolGrad));
}

}  // namespace tsdl
