#!/usr/bin/env python3
"""PyTorch reference for `npm run bench`: the same four trainings as bench/workloads.ts, same
layer sizes, batch sizes, optimisers and learning rates, on the same data (the benchmark writes
it to raw float32/int32 files), with the thread count the tfjs run uses.

Differences that are PyTorch idiom, not extra work: the classifiers output logits and use
CrossEntropyLoss (Keras: softmax + cross-entropy on probabilities), the autoencoder's last layer
is Linear + BCEWithLogitsLoss (Keras: sigmoid + BCE). Each step also accumulates the loss (and the
accuracy for classifiers) on the tensor side, as the tfjs loop does.

With --conv-layers (`npm run bench -- --convs`) it times single convolutions instead of a
training: for each layer the forward convolution, the filter gradient and the input gradient
(aten.convolution_backward, as autograd calls it, one gradient at a time), NCHW float32.

Usage: python3 bench/torch_reference.py --workload mlp --samples 8192 --runs 3 --threads 1 \
         --x build/bench/data/mlp-x.f32 --y build/bench/data/mlp-y.bin --infer-samples 10000
       python3 bench/torch_reference.py --runs 3 --threads 1 --min-seconds 0.05 --conv-layers \
         '[{"name": "conv2", "batch": 32, "height": 14, "width": 14, "channels": 64, "kernel": 3,
            "filters": 128, "stride": 1, "pads": [1, 1, 1, 1]}]'
Prints one JSON object: {"train": [{"wall": s, "cpu": s}, ...], "infer": [...], ...}, or with
--conv-layers {"convs": [{"name": ..., "fwd": {"runs": [{"wall": s, "cpu": s}, ...],
"calls_per_run": n}, "dW": ..., "dx": ...}], ...} (seconds per call, one entry per run).
"""
import argparse
import json
import math
import resource
import sys
import time

try:
    import numpy as np
    import torch
    from torch import nn
except ImportError as e:  # reported by the caller as "skipped"
    print(json.dumps({"error": f"PyTorch is not importable: {e}"}))
    sys.exit(0)


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Flatten(nn.Module):
    def forward(self, x):
        return x.reshape(x.shape[0], -1)


def build(workload):
    if workload == "mlp":
        return nn.Sequential(Flatten(), nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(), nn.Linear(100, 10))
    if workload == "cnn":
        # NCHW in PyTorch; same filters, padding 'same', pools and dense sizes as buildSeedCnn.
        return nn.Sequential(
            nn.Conv2d(1, 64, 7, padding=3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(),
            nn.Conv2d(128, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            Flatten(), nn.Linear(128 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(128, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 10))
    if workload == "lstm":
        class Regressor(nn.Module):
            def __init__(self):
                super().__init__()
                self.lstm = nn.LSTM(2, 32, batch_first=True)
                self.out = nn.Linear(32, 1)

            def forward(self, x):
                _, (h, _) = self.lstm(x)
                return self.out(h[-1])
        return Regressor()
    if workload == "ae":
        return nn.Sequential(Flatten(), nn.Linear(784, 100), nn.SELU(), nn.Linear(100, 30), nn.SELU(),
                             nn.Linear(30, 100), nn.SELU(), nn.Linear(100, 784))
    raise SystemExit(f"unknown workload {workload}")


def setup(workload, model):
    if workload == "mlp":
        return torch.optim.SGD(model.parameters(), lr=0.01), nn.CrossEntropyLoss(), True
    if workload == "cnn":
        return torch.optim.Adam(model.parameters(), lr=0.001), nn.CrossEntropyLoss(), True
    if workload == "lstm":
        return torch.optim.Adam(model.parameters(), lr=0.005), nn.MSELoss(), False
    return torch.optim.SGD(model.parameters(), lr=1.5), nn.BCEWithLogitsLoss(), False


def load(args):
    x = torch.from_numpy(np.fromfile(args.x, dtype=np.float32).copy())
    shape = [int(s) for s in args.x_shape.split(",")]
    x = x.reshape(shape)
    if args.workload == "cnn":
        x = x.permute(0, 3, 1, 2).contiguous()  # NHWC -> NCHW
    if args.workload in ("mlp", "cnn"):
        y = torch.from_numpy(np.fromfile(args.y, dtype=np.int32).astype(np.int64))
    elif args.workload == "lstm":
        y = torch.from_numpy(np.fromfile(args.y, dtype=np.float32).copy()).reshape(-1, 1)
    else:
        y = x.reshape(x.shape[0], -1)
    return x, y


def epoch(model, opt, loss_fn, classify, x, y, batch):
    model.train()
    n = x.shape[0]
    perm = torch.randperm(n)
    total = torch.zeros(())
    correct = torch.zeros((), dtype=torch.int64)
    for s in range(0, n, batch):
        idx = perm[s:s + batch]
        xb, yb = x[idx], y[idx]
        opt.zero_grad(set_to_none=True)
        out = model(xb)
        loss = loss_fn(out, yb)
        loss.backward()
        opt.step()
        total += loss.detach() * xb.shape[0]
        if classify:
            correct += (out.detach().argmax(1) == yb).sum()
    return float(total) / n


def infer(model, x, batch):
    model.eval()
    with torch.no_grad():
        for s in range(0, x.shape[0], batch):
            model(x[s:s + batch])


def timed(fn):
    c0, t0 = cpu_seconds(), time.perf_counter()
    fn()
    return {"wall": time.perf_counter() - t0, "cpu": cpu_seconds() - c0}


def time_calls(fn, runs, min_seconds):
    """Seconds per call of fn, one {"wall", "cpu"} per run; each run repeats fn until it has
    taken min_seconds (at least once, as many calls in every run); one call first, not timed."""
    first = timed(fn)
    calls = max(1, min(100, math.ceil(min_seconds / max(first["wall"], 1e-6))))
    out = []
    for _ in range(runs):
        t = timed(lambda: [fn() for _ in range(calls)])
        out.append({"wall": t["wall"] / calls, "cpu": t["cpu"] / calls})
    return {"runs": out, "calls_per_run": calls}


def conv_timings(layer, runs, min_seconds):
    """Forward convolution, filter gradient and input gradient of one layer (no bias)."""
    top, bottom, left, right = layer["pads"]
    if top != bottom or left != right:
        raise ValueError(f"layer {layer['name']}: PyTorch pads symmetrically, got pads {layer['pads']}")
    n, h, w, c = layer["batch"], layer["height"], layer["width"], layer["channels"]
    k, f, s = layer["kernel"], layer["filters"], layer["stride"]
    x = torch.randn(n, c, h, w)
    weight = torch.randn(f, c, k, k)
    stride, padding, dilation = [s, s], [top, left], [1, 1]
    y = nn.functional.conv2d(x, weight, stride=stride, padding=padding)
    dy = torch.randn_like(y)

    def backward(mask):
        return torch.ops.aten.convolution_backward(dy, x, weight, None, stride, padding, dilation, False, [0, 0], 1, mask)

    with torch.no_grad():
        return {
            "name": layer["name"],
            "fwd": time_calls(lambda: nn.functional.conv2d(x, weight, stride=stride, padding=padding), runs, min_seconds),
            "dW": time_calls(lambda: backward([False, True, False]), runs, min_seconds),
            "dx": time_calls(lambda: backward([True, False, False]), runs, min_seconds),
            "out_shape": list(y.shape),
        }


def main_convs(args):
    if not hasattr(torch.ops.aten, "convolution_backward"):
        print(json.dumps({"error": f"torch {torch.__version__} has no aten.convolution_backward (PyTorch 1.11 or newer needed)"}))
        return
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    layers = json.loads(args.conv_layers)
    convs = [conv_timings(layer, args.runs, args.min_seconds) for layer in layers]
    print(json.dumps({"convs": convs, "threads": torch.get_num_threads(), "torch": torch.__version__}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--conv-layers", help="JSON list of conv layers to time (instead of a workload)")
    p.add_argument("--min-seconds", type=float, default=0.05, help="with --conv-layers: least time of one run")
    p.add_argument("--workload", choices=["mlp", "cnn", "lstm", "ae"])
    p.add_argument("--samples", type=int)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--infer-samples", type=int, default=0)
    p.add_argument("--infer-batch", type=int, default=256)
    p.add_argument("--x")
    p.add_argument("--x-shape")
    p.add_argument("--y")
    args = p.parse_args()
    if args.conv_layers is not None:
        main_convs(args)
        return
    missing = [flag for flag, v in (("--workload", args.workload), ("--samples", args.samples), ("--x", args.x), ("--x-shape", args.x_shape), ("--y", args.y)) if v is None]
    if missing:
        p.error(f"without --conv-layers, {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} required")

    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    x_all, y_all = load(args)
    x, y = x_all[:args.samples], y_all[:args.samples]
    model = build(args.workload)
    opt, loss_fn, classify = setup(args.workload, model)
    # Warm-up (not timed): one batch.
    epoch(model, opt, loss_fn, classify, x[:args.batch], y[:args.batch], args.batch)
    train, losses = [], []
    for _ in range(args.runs):
        holder = {}
        train.append(timed(lambda: holder.setdefault("loss", epoch(model, opt, loss_fn, classify, x, y, args.batch))))
        losses.append(holder["loss"])
    result = {"train": train, "losses": losses, "threads": torch.get_num_threads(), "torch": torch.__version__}
    if args.infer_samples > 0:
        xi = x_all[:args.infer_samples]
        infer(model, xi[:args.infer_batch], args.infer_batch)
        result["infer"] = [timed(lambda: infer(model, xi, args.infer_batch)) for _ in range(args.runs)]
        result["infer_samples"] = int(xi.shape[0])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
