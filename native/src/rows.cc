// The two row operations around every layer with a bias: adding a bias row to each row of a
// [rows, cols] matrix (a [.., C] tensor plus a [C] bias), and its gradient, the column sums
// (tfjs reduces a [N, H, W, C] gradient over its leading axes). Sums accumulate in double.
#include <algorithm>

#include <omp.h>

#include "common.h"

namespace tsdl {
namespace {

void checkSizes(Napi::Env env, int64_t rows, int64_t cols) {
  if (rows < 1 || cols < 1 || rows > (int64_t{1} << 40) || cols > (int64_t{1} << 31)) fail(env, "rows and columns must be at least 1");
}

/** addRow(x, row, out, rows, cols): out[r, c] = x[r, c] + row[c]. */
Napi::Value AddRow(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::vector<int64_t> d = intArray(info, 3, "addRow sizes", 2);
  checkSizes(env, d[0], d[1]);
  const int64_t rows = d[0], cols = d[1];
  const float *x = floatData(info, 0, "addRow x", static_cast<size_t>(rows * cols));
  const float *row = floatData(info, 1, "addRow row", static_cast<size_t>(cols));
  float *out = floatData(info, 2, "addRow out", static_cast<size_t>(rows * cols));
  const int threads = rows * cols >= (1 << 16) ? threadCount() : 1;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t r = 0; r < rows; r++) {
    const float *xr = x + r * cols;
    float *o = out + r * cols;
    for (int64_t c = 0; c < cols; c++) o[c] = xr[c] + row[c];
  }
  return env.Undefined();
}

/** sumRows(x, out, rows, cols): out[c] = sum over r of x[r, c]. */
Napi::Value SumRows(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::vector<int64_t> d = intArray(info, 2, "sumRows sizes", 2);
  checkSizes(env, d[0], d[1]);
  const int64_t rows = d[0], cols = d[1];
  const float *x = floatData(info, 0, "sumRows x", static_cast<size_t>(rows * cols));
  float *out = floatData(info, 1, "sumRows out", static_cast<size_t>(cols));
  const int threads = static_cast<int>(std::min<int64_t>(rows * cols >= (1 << 16) ? threadCount() : 1, rows));
  std::vector<double> partial(static_cast<size_t>(threads * cols), 0.0);
#pragma omp parallel num_threads(threads)
  {
#ifdef _OPENMP
    const int t = omp_get_thread_num();
#else
    const int t = 0;
#endif
    double *acc = partial.data() + t * cols;
#pragma omp for schedule(static)
    for (int64_t r = 0; r < rows; r++) {
      const float *xr = x + r * cols;
      for (int64_t c = 0; c < cols; c++) acc[c] += xr[c];
    }
  }
  for (int64_t c = 0; c < cols; c++) {
    double s = 0;
    for (int t = 0; t < threads; t++) s += partial[static_cast<size_t>(t * cols + c)];
    out[c] = static_cast<float>(s);
  }
  return env.Undefined();
}

/** subColumn(x, column, out, rows, cols): out[r, c] = x[r, c] - column[r] (softmax's max, a row's mean). */
Napi::Value SubColumn(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::vector<int64_t> d = intArray(info, 3, "subColumn sizes", 2);
  checkSizes(env, d[0], d[1]);
  const int64_t rows = d[0], cols = d[1];
  const float *x = floatData(info, 0, "subColumn x", static_cast<size_t>(rows * cols));
  const float *column = floatData(info, 1, "subColumn column", static_cast<size_t>(rows));
  float *out = floatData(info, 2, "subColumn out", static_cast<size_t>(rows * cols));
  for (int64_t r = 0; r < rows; r++) {
    const float v = column[r];
    const float *xr = x + r * cols;
    float *o = out + r * cols;
    for (int64_t c = 0; c < cols; c++) o[c] = xr[c] - v;
  }
  return env.Undefined();
}

}  // namespace

void registerRows(Napi::Env env, Napi::Object exports) {
  exports.Set("addRow", Napi::Function::New(env, AddRow));
  exports.Set("sumRows", Napi::Function::New(env, SumRows));
  exports.Set("subColumn", Napi::Function::New(env, SubColumn));
}

}  // namespace tsdl
