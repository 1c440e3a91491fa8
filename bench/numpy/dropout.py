#!/usr/bin/env python3
"""NumPy float32 twin of the lab's "dropout" experiment (Fig. 6-22, 6-23 of the book).

Workload at the book's defaults: the first 300 training images; two nets 784-[100 x 6]-10 (ReLU,
He init), without and with Dropout (ratio 0.2), trained side by side with SGD (lr .01), one shuffled
pass of batches of 100 per epoch (the book's Trainer), 301 epochs; train accuracy (300 images) and
test accuracy (all 10,000 test images) of both nets before training and after every epoch.

usage: python3 bench/numpy/dropout.py [MNIST_DIR] [--iterations EPOCHS] [--seed N]
Prints one JSON line (see epoch_nets.report); finalLoss holds each series' final accuracy.
"""
import time

T_START = time.perf_counter()

from epoch_nets import train_test_twin

if __name__ == '__main__':
    train_test_twin(__doc__.split('\n\n')[0], T_START, 301,
                    [('no dropout', {}), ('dropout 0.2', {'dropout_ratio': 0.2})], 'shuffle')
