"""The book's test-time forward pass (common/layers.py, common/multi_layer_net_extend.py), copied for a
test: loads a net the lab exported as .npz under the book's names and prints its accuracy on the MNIST
test images as JSON. Only NumPy is needed.

usage: python3 book_forward.py NET.npz MNIST_DIR --activation relu|sigmoid|tanh --dropout RATIO
"""
import argparse
import gzip
import json
import os

import numpy as np


def load_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(directory, stem):
    for name in (stem, stem + '.gz'):
        if os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    raise FileNotFoundError(stem)


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        return np.dot(x, self.W) + self.b


class BatchNormalization:
    """Test time: normalise with the running mean and variance (the book's epsilon, 10e-7 = 1e-6)."""

    def __init__(self, gamma, beta, running_mean, running_var):
        self.gamma, self.beta = gamma, beta
        self.running_mean, self.running_var = running_mean, running_var

    def forward(self, x):
        xn = (x - self.running_mean) / np.sqrt(self.running_var + 10e-7)
        return self.gamma * xn + self.beta


class Dropout:
    """Test time: every unit kept, scaled by 1 - ratio."""

    def __init__(self, ratio):
        self.ratio = ratio

    def forward(self, x):
        return x * (1.0 - self.ratio)


ACTIVATIONS = {
    'relu': lambda x: np.maximum(0, x),
    'sigmoid': lambda x: 1 / (1 + np.exp(-x)),
    'tanh': np.tanh,
}


def predict(params, activation, dropout, x):
    hidden = sum(1 for key in params if key.startswith('W')) - 1
    for i in range(1, hidden + 1):
        x = Affine(params['W%d' % i], params['b%d' % i]).forward(x)
        if 'gamma%d' % i in params:
            x = BatchNormalization(params['gamma%d' % i], params['beta%d' % i],
                                   params['running_mean%d' % i], params['running_var%d' % i]).forward(x)
        x = ACTIVATIONS[activation](x)
        if dropout > 0:
            x = Dropout(dropout).forward(x)
    last = hidden + 1
    return Affine(params['W%d' % last], params['b%d' % last]).forward(x)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('npz')
    parser.add_argument('mnist')
    parser.add_argument('--activation', default='relu')
    parser.add_argument('--dropout', type=float, default=0.0)
    args = parser.parse_args()
    with np.load(args.npz) as f:
        params = {key: f[key].astype(np.float64) for key in f.files}
    x = load_idx(find(args.mnist, 't10k-images-idx3-ubyte')).reshape(-1, 784).astype(np.float64) / 255.0
    t = load_idx(find(args.mnist, 't10k-labels-idx1-ubyte'))
    y = predict(params, args.activation, args.dropout, x)
    accuracy = float(np.sum(np.argmax(y, axis=1) == t)) / x.shape[0]
    print(json.dumps({'accuracy': accuracy, 'arrays': sorted(params), 'images': int(x.shape[0])}))


if __name__ == '__main__':
    main()
