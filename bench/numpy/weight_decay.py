#!/usr/bin/env python3
"""NumPy float32 twin of the lab's "weight-decay" experiment (Fig. 6-20, 6-21 of the book).

Workload at the book's defaults: the first 300 training images; two nets 784-[100 x 6]-10 (ReLU,
He init), weight decay lambda 0 and 0.1, trained side by side with SGD (lr .01) on the same batches
of 100 drawn with replacement, 3 iterations per epoch, 201 epochs; train accuracy (300 images) and
test accuracy (all 10,000 test images) of both nets before training and after every epoch.

usage: python3 bench/numpy/weight_decay.py [MNIST_DIR] [--iterations EPOCHS] [--seed N]
Prints one JSON line (see epoch_nets.report); finalLoss holds each series' final accuracy.
"""
import time

T_START = time.perf_counter()

from epoch_nets import train_test_twin

if __name__ == '__main__':
    train_test_twin(__doc__.split('\n\n')[0], T_START, 201,
                    [('λ=0', {'weight_decay': 0.0}), ('λ=0.1', {'weight_decay': 0.1})], 'random')
