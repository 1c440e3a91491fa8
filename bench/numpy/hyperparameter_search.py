#!/usr/bin/env python3
"""NumPy float32 twin of the lab's "hyperparameter-search" experiment (Fig. 6-24 of the book).

Workload at the book's defaults: the first 500 training images, shuffled; 100 of them are the
validation set, 400 are learned from. 100 trials, each sampling weight decay 10^U(-8,-4) and
lr 10^U(-6,-2), each a net 784-[100]*6-10 (ReLU, He init) trained with SGD on shuffled batches of 100
(4 iterations per epoch) for 50 epochs, the trials side by side on the same batches as the lab's;
train and validation accuracy of every trial before training and after every epoch.

usage: python3 bench/numpy/hyperparameter_search.py [MNIST_DIR] [--iterations EPOCHS] [--seed N]
Prints one JSON line (see epoch_nets.report); finalLoss holds each trial's final validation accuracy
under the lab's series name ("trial 7 validation").
"""
import time

T_START = time.perf_counter()

import numpy as np

from epoch_nets import Net, load_train, parse_args, report, train_side_by_side

TRAIN_SIZE, VALIDATION_SPLIT, HIDDEN, BATCH, TRIALS = 500, 0.2, [100] * 6, 100, 100
LR_EXPONENTS, WEIGHT_DECAY_EXPONENTS = (-6, -2), (-8, -4)


def main():
    args = parse_args(__doc__.split('\n\n')[0], epochs=50)
    rng = np.random.default_rng(args.seed)
    x, t = load_train(args.data)
    order = rng.permutation(TRAIN_SIZE)
    validation = int(TRAIN_SIZE * VALIDATION_SPLIT)
    x_val, t_val = x[order[:validation]], t[order[:validation]]
    x_train, t_train = x[order[validation:]], t[order[validation:]]
    sizes = [x.shape[1]] + HIDDEN + [10]
    he = lambda fan_in: np.sqrt(2.0 / fan_in)
    nets, lrs = [], []
    for _ in range(TRIALS):
        weight_decay = 10 ** rng.uniform(*WEIGHT_DECAY_EXPONENTS)
        lrs.append(float(10 ** rng.uniform(*LR_EXPONENTS)))
        nets.append(Net(sizes, he, rng, weight_decay=weight_decay))
    t_loop = time.perf_counter()
    history = train_side_by_side(nets, x_train, t_train, {'train': (x_train, t_train), 'validation': (x_val, t_val)},
                                 args.iterations, BATCH, lrs, 'shuffle', rng)
    final = {f'trial {k + 1} validation': h['validation'][-1] for k, h in enumerate(history)}
    report(T_START, t_loop, args.iterations, TRIALS * len(t_train) // BATCH, final)


if __name__ == '__main__':
    main()
