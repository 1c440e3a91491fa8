#!/usr/bin/env python3
"""NumPy float32 twin of the lab's "init-mnist" experiment (Fig. 6-15 of the book).

Workload at the book's defaults: three nets 784-100-100-100-100-10 (ReLU, biases 0, softmax +
cross-entropy) whose weights start at std 0.01, Xavier (sqrt(1/fan_in)) and He (sqrt(2/fan_in)),
all trained with SGD lr 0.01 on the same batch of 128 drawn with replacement, 2,000 iterations.
The net (flat float32 buffers, forward/backward, SGD update) is optimizers_mnist.Net; only the
weight init differs.

usage: python3 bench/numpy/init_mnist.py [MNIST_DIR] [--iterations N] [--seed N] [--print-every N]
Prints one JSON line to stdout:
  {"seconds": training loop wall s, "totalSeconds": incl. imports + data load, "steps": iterations*nets,
   "finalLoss": {"std=0.01": ..., "Xavier": ..., "He": ...}, ...}
"""
import time

T_START = time.perf_counter()

import math

import numpy as np

from optimizers_mnist import Net, parse_args, train_on_shared_batches

# (series name, weight std for a layer of fan_in inputs)
INITS = [
    ('std=0.01', lambda fan_in: 0.01),
    ('Xavier', lambda fan_in: math.sqrt(1.0 / fan_in)),
    ('He', lambda fan_in: math.sqrt(2.0 / fan_in)),
]


def make_net(std_for, sizes):
    """An SGD net whose weights are redrawn with the init's std (biases stay 0)."""
    net = Net('SGD', sizes)
    for i, W in enumerate(net.W):
        W[...] = std_for(sizes[i]) * np.random.randn(sizes[i], sizes[i + 1])
    return net


def main():
    args = parse_args(__doc__.split('\n\n')[0])
    names = [name for name, _ in INITS]
    train_on_shared_batches(lambda sizes: [make_net(std_for, sizes) for _, std_for in INITS], names, args, T_START)


if __name__ == '__main__':
    main()
