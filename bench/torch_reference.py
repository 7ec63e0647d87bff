#!/usr/bin/env python3
"""PyTorch reference for `npm run bench`: the same four trainings as bench/workloads.ts, same
layer sizes, batch sizes, optimisers and learning rates, on the same data (the benchmark writes
it to raw float32/int32 files), with the thread count the tfjs run uses.

Differences that are PyTorch idiom, not extra work: the classifiers output logits and use
CrossEntropyLoss (Keras: softmax + cross-entropy on probabilities), the autoencoder's last layer
is Linear + BCEWithLogitsLoss (Keras: sigmoid + BCE). Each step also accumulates the loss (and the
accuracy for classifiers) on the tensor side, as the tfjs loop does.

Usage: python3 bench/torch_reference.py --workload mlp --samples 8192 --runs 3 --threads 1 \
         --x build/bench/data/mlp-x.f32 --y build/bench/data/mlp-y.bin --infer-samples 10000
Prints one JSON object: {"train": [{"wall": s, "cpu": s}, ...], "infer": [...], ...}.
"""
import argparse
import json
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


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--workload", required=True, choices=["mlp", "cnn", "lstm", "ae"])
    p.add_argument("--samples", type=int, required=True)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--infer-samples", type=int, default=0)
    p.add_argument("--infer-batch", type=int, default=256)
    p.add_argument("--x", required=True)
    p.add_argument("--x-shape", required=True)
    p.add_argument("--y", required=True)
    args = p.parse_args()

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
