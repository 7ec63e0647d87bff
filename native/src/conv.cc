// 2-D convolutions on NHWC activations and HWIO filters (TensorFlow's layouts), forward (with
// bias and activation fused) and both gradients. Activations are read and written in place; the
// filters (and the filter gradient) go through oneDNN's blocked layout, where its JIT kernels run.
#include <map>
#include <memory>
#include <sstream>

#include "common.h"

namespace tsdl {

using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

namespace {

/** NHWC input [N,H,W,C], HWIO filter [fH,fW,C,O], NHWC output [N,oH,oW,O]. */
struct Geometry {
  int64_t N, H, W, C, fH, fW, O, oH, oW, sH, sW, dH, dW, pT, pL, pB, pR;

  static constexpr size_t kCount = 17;

  static Geometry from(const Napi::CallbackInfo &info, size_t index) {
    std::vector<int64_t> v = intArray(info, index, "convolution geometry", kCount);
    Geometry g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16]};
    g.check(info.Env());
    return g;
  }

  void check(Napi::Env env) const {
    const int64_t sizes[] = {N, H, W, C, fH, fW, O, oH, oW, sH, sW, dH, dW};
    for (int64_t s : sizes) {
      if (s < 1 || s > (int64_t{1} << 31)) fail(env, "convolution geometry: sizes, strides and dilations must be at least 1");
    }
    if (pT < 0 || pL < 0 || pB < 0 || pR < 0) fail(env, "convolution geometry: padding must not be negative");
    const int64_t effH = (fH - 1) * dH + 1, effW = (fW - 1) * dW + 1;
    const int64_t wantH = H + pT + pB - effH, wantW = W + pL + pR - effW;
    if (wantH < 0 || wantW < 0 || wantH / sH + 1 != oH || wantW / sW + 1 != oW) {
      std::ostringstream m;
      m << "convolution geometry: output " << oH << "x" << oW << " does not follow from input " << H << "x" << W
        << ", filter " << fH << "x" << fW << ", strides " << sH << "x" << sW << ", dilations " << dH << "x" << dW
        << " and padding " << pT << "," << pB << "/" << pL << "," << pR;
      fail(env, m.str());
    }
  }

  size_t inSize() const { return static_cast<size_t>(N * H * W * C); }
  size_t filterSize() const { return static_cast<size_t>(fH * fW * C * O); }
  size_t outSize() const { return static_cast<size_t>(N * oH * oW * O); }

  memory::desc src() const { return memory::desc({N, C, H, W}, dt::f32, tag::nhwc); }
  memory::desc dst() const { return memory::desc({N, O, oH, oW}, dt::f32, tag::nhwc); }
  memory::desc userWeights() const { return memory::desc({O, C, fH, fW}, dt::f32, tag::hwio); }
  memory::desc anyWeights() const { return memory::desc({O, C, fH, fW}, dt::f32, tag::any); }
  memory::desc bias() const { return memory::desc({O}, dt::f32, tag::a); }
  memory::dims strides() const { return {sH, sW}; }
  memory::dims dilations() const { return {dH - 1, dW - 1}; }  // oneDNN counts the gaps
  memory::dims padL() const { return {pT, pL}; }
  memory::dims padR() const { return {pB, pR}; }

  std::string key(const char *kind) const {
    std::ostringstream k;
    k << kind;
    const int64_t all[] = {N, H, W, C, fH, fW, O, oH, oW, sH, sW, dH, dW, pT, pL, pB, pR};
    for (int64_t v : all) k << ',' << v;
    k << ",t" << threadCount();
    return k.str();
  }
};

dnnl::convolution_forward::primitive_desc forwardDesc(const Geometry &g, bool withBias, const dnnl::primitive_attr &attr) {
  using dnnl::convolution_forward;
  auto d = withBias ? convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, g.src(), g.anyWeights(), g.bias(), g.dst(), g.strides(), g.dilations(), g.padL(), g.padR())
                    : convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, g.src(), g.anyWeights(), g.dst(), g.strides(), g.dilations(), g.padL(), g.padR());
  return convolution_forward::primitive_desc(d, attr, cpuEngine());
}

/** A filter in the user's HWIO layout, reordered into the layout a primitive wants (when it differs). */
struct FilterReorder {
  memory::desc user;
  memory::desc wanted;
  bool needed = false;
  dnnl::reorder prim;
  memory blocked;

  FilterReorder() = default;
  FilterReorder(const memory::desc &userDesc, const memory::desc &wantedDesc, bool toUser) : user(userDesc), wanted(wantedDesc) {
    needed = !(user == wanted);
    if (!needed) return;
    blocked = memory(wanted, cpuEngine());
    prim = toUser ? dnnl::reorder(blocked, memory(user, cpuEngine(), DNNL_MEMORY_NONE))
                  : dnnl::reorder(memory(user, cpuEngine(), DNNL_MEMORY_NONE), blocked);
  }
};

struct Forward {
  dnnl::convolution_forward prim;
  FilterReorder filter;
  bool withBias;
};

struct BackwardData {
  dnnl::convolution_backward_data prim;
  FilterReorder filter;
};

struct BackwardWeights {
  dnnl::convolution_backward_weights prim;
  FilterReorder filter;  // blocked gradient -> user HWIO
};

template <typename T>
std::map<std::string, std::unique_ptr<T>> &cacheOf() {
  static std::map<std::string, std::unique_ptr<T>> cache;
  return cache;
}

/** Runs `body`, turning oneDNN's and the standard library's exceptions into JavaScript errors. */
template <typename F>
Napi::Value guarded(Napi::Env env, const char *what, F body) {
  try {
    body();
  } catch (const dnnl::error &e) {
    throw Napi::Error::New(env, std::string("onednn: ") + what + " failed: " + e.what());
  } catch (const std::exception &e) {
    if (dynamic_cast<const Napi::Error *>(&e) != nullptr) throw;
    throw Napi::Error::New(env, std::string("onednn: ") + what + " failed: " + e.what());
  }
  return env.Undefined();
}

/** conv2d(x, w, bias | null, y, geometry, activation, alpha): y = act(conv(x, w) + bias). */
Napi::Value Conv2d(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Geometry g = Geometry::from(info, 4);
  float *x = floatData(info, 0, "conv2d input", g.inSize());
  float *w = floatData(info, 1, "conv2d filter", g.filterSize());
  float *b = optionalFloatData(info, 2, "conv2d bias", static_cast<size_t>(g.O));
  float *y = floatData(info, 3, "conv2d output", g.outSize());
  if (info.Length() < 7 || !info[5].IsNumber() || !info[6].IsNumber()) throw Napi::TypeError::New(env, "onednn: conv2d needs an activation code and alpha");
  const int act = info[5].As<Napi::Number>().Int32Value();
  const float alpha = info[6].As<Napi::Number>().FloatValue();
  if (act < kLinear || act > kLeakyRelu) fail(env, "conv2d: unknown activation code");
  return guarded(env, "conv2d", [&] {
    std::ostringstream k;
    k << g.key("fwd") << ",b" << (b != nullptr) << ",a" << act << "," << alpha;
    auto &entry = cacheOf<Forward>()[k.str()];
    if (!entry) {
      dnnl::post_ops ops;
      appendActivation(ops, act, alpha);
      dnnl::primitive_attr attr;
      attr.set_post_ops(ops);
      auto pd = forwardDesc(g, b != nullptr, attr);
      entry = std::make_unique<Forward>(Forward{dnnl::convolution_forward(pd), FilterReorder(g.userWeights(), pd.weights_desc(), false), b != nullptr});
    }
    auto &s = cpuStream();
    memory wUser(g.userWeights(), cpuEngine(), w);
    memory weights = wUser;
    if (entry->filter.needed) {
      SingleThreaded one;
      entry->filter.prim.execute(s, wUser, entry->filter.blocked);
      weights = entry->filter.blocked;
    }
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC, memory(g.src(), cpuEngine(), x)},
        {DNNL_ARG_WEIGHTS, weights},
        {DNNL_ARG_DST, memory(g.dst(), cpuEngine(), y)},
    };
    if (b != nullptr) args.emplace(DNNL_ARG_BIAS, memory(g.bias(), cpuEngine(), b));
    entry->prim.execute(s, args);
    s.wait();
  });
}

/** conv2dBackpropInput(dy, w, dx, geometry): dx = the input gradient of conv(x, w). */
Napi::Value Conv2dBackpropInput(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Geometry g = Geometry::from(info, 3);
  float *dy = floatData(info, 0, "conv2dBackpropInput dy", g.outSize());
  float *w = floatData(info, 1, "conv2dBackpropInput filter", g.filterSize());
  float *dx = floatData(info, 2, "conv2dBackpropInput dx", g.inSize());
  return guarded(env, "conv2dBackpropInput", [&] {
    auto &entry = cacheOf<BackwardData>()[g.key("bwd_data")];
    if (!entry) {
      auto hint = forwardDesc(g, false, dnnl::primitive_attr());
      dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, g.src(), g.anyWeights(), g.dst(), g.strides(), g.dilations(), g.padL(), g.padR());
      dnnl::convolution_backward_data::primitive_desc pd(d, cpuEngine(), hint);
      entry = std::make_unique<BackwardData>(BackwardData{dnnl::convolution_backward_data(pd), FilterReorder(g.userWeights(), pd.weights_desc(), false)});
    }
    auto &s = cpuStream();
    memory wUser(g.userWeights(), cpuEngine(), w);
    memory weights = wUser;
    if (entry->filter.needed) {
      SingleThreaded one;
      entry->filter.prim.execute(s, wUser, entry->filter.blocked);
      weights = entry->filter.blocked;
    }
    entry->prim.execute(s, {
                               {DNNL_ARG_DIFF_DST, memory(g.dst(), cpuEngine(), dy)},
                               {DNNL_ARG_WEIGHTS, weights},
                               {DNNL_ARG_DIFF_SRC, memory(g.src(), cpuEngine(), dx)},
                           });
    s.wait();
  });
}

/** conv2dBackpropFilter(x, dy, dw, geometry): dw = the filter gradient of conv(x, w), HWIO. */
Napi::Value Conv2dBackpropFilter(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Geometry g = Geometry::from(info, 3);
  float *x = floatData(info, 0, "conv2dBackpropFilter input", g.inSize());
  float *dy = floatData(info, 1, "conv2dBackpropFilter dy", g.outSize());
  float *dw = floatData(info, 2, "conv2dBackpropFilter dw", g.filterSize());
  return guarded(env, "conv2dBackpropFilter", [&] {
    auto &entry = cacheOf<BackwardWeights>()[g.key("bwd_weights")];
    if (!entry) {
      auto hint = forwardDesc(g, false, dnnl::primitive_attr());
      dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct, g.src(), g.anyWeights(), g.dst(), g.strides(), g.dilations(), g.padL(), g.padR());
      dnnl::convolution_backward_weights::primitive_desc pd(d, cpuEngine(), hint);
      entry = std::make_unique<BackwardWeights>(BackwardWeights{dnnl::convolution_backward_weights(pd), FilterReorder(g.userWeights(), pd.diff_weights_desc(), true)});
    }
    auto &s = cpuStream();
    memory dwUser(g.userWeights(), cpuEngine(), dw);
    memory target = entry->filter.needed ? entry->filter.blocked : dwUser;
    entry->prim.execute(s, {
                               {DNNL_ARG_SRC, memory(g.src(), cpuEngine(), x)},
                               {DNNL_ARG_DIFF_DST, memory(g.dst(), cpuEngine(), dy)},
                               {DNNL_ARG_DIFF_WEIGHTS, target},
                           });
    if (entry->filter.needed) {
      SingleThreaded one;
      entry->filter.prim.execute(s, entry->filter.blocked, dwUser);
    }
    s.wait();
  });
}

/** cacheSize() -> the number of convolution primitives built so far. */
Napi::Value CacheSize(const Napi::CallbackInfo &info) {
  size_t n = cacheOf<Forward>().size() + cacheOf<BackwardData>().size() + cacheOf<BackwardWeights>().size();
  return Napi::Number::New(info.Env(), static_cast<double>(n));
}

}  // namespace

void registerConv(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2d", Napi::Function::New(env, Conv2d));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Conv2dBackpropInput));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Conv2dBackpropFilter));
  exports.Set("convCacheSize", Napi::Function::New(env, CacheSize));
}

}  // namespace tsdl
