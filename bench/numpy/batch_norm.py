#!/usr/bin/env python3
"""NumPy float32 twin of the lab's "batch-norm" experiment (Fig. 6-18, 6-19 of the book).

Workload at the book's defaults: the first 1,000 training images; for each of 16 weight scales
(np.logspace(0, -4, 16)) a net 784-100-100-100-100-100-10 with Batch Norm and one without, trained
side by side with SGD (lr .01) on the same batches of 100 drawn with replacement, 10 iterations per
epoch, 20 epochs; train accuracy of every net before training and after every epoch.

usage: python3 bench/numpy/batch_norm.py [MNIST_DIR] [--iterations EPOCHS] [--seed N]
Prints one JSON line (see epoch_nets.report); finalLoss holds each series' final train accuracy.
"""
import time

T_START = time.perf_counter()

import numpy as np

from epoch_nets import Net, load_train, parse_args, report, train_side_by_side

TRAIN_SIZE, HIDDEN, BATCH, LR, SCALES = 1000, [100] * 5, 100, 0.01, 16


def scale_text(std):
    """The lab's series label of a std: three significant digits as JSON number text (1, 0.541, 0.0001)."""
    text = repr(float(f'{std:.3g}'))
    return text[:-2] if text.endswith('.0') else text


def main():
    args = parse_args(__doc__.split('\n\n')[0], epochs=20)
    rng = np.random.default_rng(args.seed)
    x_train, t_train = load_train(args.data)
    x_train, t_train = x_train[:TRAIN_SIZE], t_train[:TRAIN_SIZE]
    sizes = [x_train.shape[1]] + HIDDEN + [10]
    stds = np.logspace(0, -4, SCALES)
    names = [f'{kind}|std={scale_text(std)}' for kind in ('Batch Norm', 'Normal') for std in stds]
    nets = [Net(sizes, float(std), rng, use_batchnorm=bn) for bn in (True, False) for std in stds]
    t_loop = time.perf_counter()
    history = train_side_by_side(nets, x_train, t_train, {'train': (x_train, t_train)},
                                 args.iterations, BATCH, LR, 'random', rng)
    final = {name: h['train'][-1] for name, h in zip(names, history)}
    report(T_START, t_loop, args.iterations, len(nets) * TRAIN_SIZE // BATCH, final)


if __name__ == '__main__':
    main()
