"""Shared part of the NumPy float32 twins of the lab's epoch-based experiments (batch-norm,
weight-decay, dropout): the book's MultiLayerNetExtend (Affine -> BatchNorm -> ReLU -> Dropout per
hidden layer, softmax + cross-entropy, weight decay), trained side by side with SGD on the same
mini-batches, with the train (and test) accuracy of every net before training and after every epoch,
as the lab records them.

Everything is float32. The twins print one JSON line (see report()).
"""
import argparse
import json
import math

import time

import numpy as np

from optimizers_mnist import DEFAULT_DATA, load_train, read_idx

EPS = np.float32(1e-6)  # the book's 10e-7
MOMENTUM = np.float32(0.9)
CHUNK = 2000  # rows per forward pass when measuring accuracy, as the lab does

np.seterr(over='ignore', invalid='ignore')  # diverging nets (large weight scales) overflow float32, as in the book


def load_test(folder):
    img = read_idx(folder, 't10k-images-idx3-ubyte')
    lab = read_idx(folder, 't10k-labels-idx1-ubyte')
    n, rows, cols = (int(v) for v in np.frombuffer(img, dtype='>u4', count=4)[1:])
    x = np.frombuffer(img, dtype=np.uint8, offset=16).reshape(n, rows * cols).astype(np.float32)
    x /= np.float32(255.0)
    return x, np.frombuffer(lab, dtype=np.uint8, offset=8).astype(np.intp)


class Net:
    """One MultiLayerNetExtend: ReLU, weights ~ std * N(0, 1), biases 0, optional Batch Norm and Dropout."""

    def __init__(self, sizes, std, rng, use_batchnorm=False, dropout_ratio=0.0, weight_decay=0.0):
        self.W = [(rng.standard_normal((sizes[i], sizes[i + 1])) * (std(sizes[i]) if callable(std) else std)).astype(np.float32)
                  for i in range(len(sizes) - 1)]
        self.b = [np.zeros(s, dtype=np.float32) for s in sizes[1:]]
        hidden = sizes[1:-1]
        self.use_batchnorm = use_batchnorm
        self.gamma = [np.ones(s, dtype=np.float32) for s in hidden] if use_batchnorm else []
        self.beta = [np.zeros(s, dtype=np.float32) for s in hidden] if use_batchnorm else []
        self.running_mean = [np.zeros(s, dtype=np.float32) for s in hidden]
        self.running_var = [np.zeros(s, dtype=np.float32) for s in hidden]
        self.dropout_ratio = np.float32(dropout_ratio)
        self.weight_decay = np.float32(weight_decay)
        self.rng = rng
        self.alive = True

    def forward(self, x, train):
        """Class scores; in training mode keeps what backward needs."""
        self.cache = []
        h = x
        last = len(self.W) - 1
        for i in range(last):
            a = h @ self.W[i] + self.b[i]
            entry = {'x': h}
            if self.use_batchnorm:
                if train:
                    mu = a.mean(axis=0)
                    xc = a - mu
                    var = (xc * xc).mean(axis=0)
                    std = np.sqrt(var + EPS)
                    xn = xc / std
                    self.running_mean[i] = MOMENTUM * self.running_mean[i] + (1 - MOMENTUM) * mu
                    self.running_var[i] = MOMENTUM * self.running_var[i] + (1 - MOMENTUM) * var
                    entry.update(xn=xn, std=std)
                else:
                    xn = (a - self.running_mean[i]) / np.sqrt(self.running_var[i] + EPS)
                a = self.gamma[i] * xn + self.beta[i]
            relu = a > 0
            h = a * relu
            entry['relu'] = relu
            if self.dropout_ratio > 0:
                if train:
                    mask = self.rng.random(h.shape, dtype=np.float32) > self.dropout_ratio
                    h = h * mask
                    entry['mask'] = mask
                else:
                    h = h * (1 - self.dropout_ratio)
            self.cache.append(entry)
        self.last_x = h
        return h @ self.W[last] + self.b[last]

    def gradient(self, x, t):
        """Forward + backward on a batch; returns the loss and the gradients (dW, db, dgamma, dbeta)."""
        scores = self.forward(x, True)
        scores -= scores.max(axis=1, keepdims=True)
        y = np.exp(scores)
        y /= y.sum(axis=1, keepdims=True)
        rows = np.arange(len(t))
        n = np.float32(len(t))
        loss = -np.log(y[rows, t] + np.float32(1e-7)).sum() / n
        if self.weight_decay > 0:
            loss += 0.5 * self.weight_decay * sum(float((W * W).sum()) for W in self.W)
        dout = y
        dout[rows, t] -= 1
        dout /= n
        last = len(self.W) - 1
        dW = [None] * len(self.W)
        db = [None] * len(self.W)
        dgamma, dbeta = [None] * last, [None] * last
        dW[last] = self.last_x.T @ dout
        db[last] = dout.sum(axis=0)
        dh = dout @ self.W[last].T
        for i in range(last - 1, -1, -1):
            entry = self.cache[i]
            if 'mask' in entry:
                dh = dh * entry['mask']
            da = dh * entry['relu']
            if self.use_batchnorm:
                xn = entry['xn']
                dbeta[i] = da.sum(axis=0)
                dgamma[i] = (da * xn).sum(axis=0)
                da = (self.gamma[i] / entry['std']) * (da - dbeta[i] / n - xn * (dgamma[i] / n))
            dW[i] = entry['x'].T @ da
            db[i] = da.sum(axis=0)
            if i > 0:
                dh = da @ self.W[i].T
        if self.weight_decay > 0:
            for i, W in enumerate(self.W):
                dW[i] += self.weight_decay * W
        return loss, dW, db, dgamma, dbeta

    def sgd_step(self, x, t, lr):
        loss, dW, db, dgamma, dbeta = self.gradient(x, t)
        lr = np.float32(lr)
        for p, g in zip(self.W + self.b, dW + db):
            p -= lr * g
        if self.use_batchnorm:
            for p, g in zip(self.gamma + self.beta, dgamma + dbeta):
                p -= lr * g
        return loss

    def accuracy(self, x, t):
        correct = 0
        for start in range(0, len(t), CHUNK):
            scores = self.forward(x[start:start + CHUNK], False)
            correct += int((scores.argmax(axis=1) == t[start:start + CHUNK]).sum())
        return correct / len(t)


def train_side_by_side(nets, x_train, t_train, eval_sets, epochs, batch_size, lr, batches, rng):
    """Trains the nets on the same batches with learning rate `lr` (one for all, or a list: one per net);
    returns per net {metric: [accuracy at epoch 0..epochs]}."""
    lrs = lr if isinstance(lr, (list, tuple)) else [lr] * len(nets)
    n = len(t_train)
    iterations = max(math.ceil(n / batch_size), 1)
    history = [{metric: [] for metric in eval_sets} for _ in nets]

    def record():
        for net, h in zip(nets, history):
            if net.alive:
                for metric, (x, t) in eval_sets.items():
                    h[metric].append(net.accuracy(x, t))

    record()
    for _ in range(epochs):
        order = rng.permutation(n) if batches == 'shuffle' else None
        for it in range(iterations):
            idx = order[it * batch_size:(it + 1) * batch_size] if order is not None else rng.integers(0, n, batch_size)
            x, t = x_train[idx], t_train[idx]
            for net, net_lr in zip(nets, lrs):
                if net.alive:
                    net.alive = math.isfinite(net.sgd_step(x, t, net_lr))
        record()
    return history


def parse_args(description, epochs):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument('data', nargs='?', default=DEFAULT_DATA, help='folder with the MNIST IDX files')
    ap.add_argument('--iterations', type=int, default=epochs, help='epochs (the bench passes its --iterations here)')
    ap.add_argument('--seed', type=int, default=0)
    args = ap.parse_args()
    if args.iterations < 1:
        ap.error('--iterations must be >= 1')
    return args


def report(t_start, t_loop, epochs, steps_per_epoch, final):
    """The one JSON line: loop and whole-process seconds, steps (net-iterations), each series' final
    accuracy under `finalLoss` (the key the bench compares with the lab's final series values)."""
    t_end = time.perf_counter()
    print(json.dumps({
        'seconds': round(t_end - t_loop, 4),
        'totalSeconds': round(t_end - t_start, 4),
        'steps': epochs * steps_per_epoch,
        'epochs': epochs,
        'finalLoss': final,
        'numpy': np.__version__,
        'dtype': 'float32',
    }))




def train_test_twin(description, t_start, epochs, settings, batches):
    """weight-decay and dropout: the first 300 training images and all test images; one net
    784-[100 x 6]-10 (ReLU, He init) per setting, `settings` = [(series prefix, Net keyword arguments)],
    SGD lr .01, batches of 100; prints the JSON line with each series' final accuracy."""
    args = parse_args(description, epochs)
    rng = np.random.default_rng(args.seed)
    train_size, batch = 300, 100
    x_train, t_train = load_train(args.data)
    x_train, t_train = x_train[:train_size], t_train[:train_size]
    x_test, t_test = load_test(args.data)
    sizes = [x_train.shape[1]] + [100] * 6 + [10]
    he = lambda fan_in: math.sqrt(2.0 / fan_in)
    nets = [Net(sizes, he, rng, **kwargs) for _, kwargs in settings]
    t_loop = time.perf_counter()
    history = train_side_by_side(nets, x_train, t_train, {'train': (x_train, t_train), 'test': (x_test, t_test)},
                                 args.iterations, batch, 0.01, batches, rng)
    final = {f'{prefix} {metric}': h[metric][-1] for (prefix, _), h in zip(settings, history) for metric in ('train', 'test')}
    report(t_start, t_loop, args.iterations, len(nets) * math.ceil(train_size / batch), final)
