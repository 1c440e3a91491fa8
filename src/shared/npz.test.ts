import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netFromArrays } from './imported-net';
import { labNet } from './imported-net.test-helpers';
import { NpzError, netNpz, parseNpz, zipStored } from './npz';
import { base64ToFloat32, predict } from './trained-nets';

/** The error `promise` rejects with, for its problem and message. */
async function failure(promise: Promise<unknown>): Promise<NpzError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NpzError);
  return error as NpzError;
}

/** An .npy file with this header text (format 1.0, unpadded) and data. */
function npyFile(header: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

describe('parseNpz', () => {
  it('reads back what netNpz writes', async () => {
    const net = labNet({ label: 'Adam', hidden: [50, 30], activation: 'relu', batchNorm: true, dropoutRatio: 0 });
    const arrays = await parseNpz(netNpz(net));
    expect(arrays.map((a) => [a.name, a.shape])).toEqual(net.arrays.map((a) => [a.name, a.shape]));
    arrays.forEach((a, i) => expect(a.values).toEqual(base64ToFloat32(net.arrays[i]!.float32)));
  });

  describe('files written by NumPy', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dlfs-npz-import-'));
    let expected: { probabilities: number[] } = { probabilities: [] };
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    beforeAll(() => {
      // A 784-20-10 net with Batch Norm, float64 except b1; the book's forward pass (tanh, test time) on one input.
      const script = `
import json, sys
import numpy as np
out = sys.argv[1]
rng = np.random.default_rng(7)
a = dict(
    W1=rng.normal(0, 0.05, (784, 20)), b1=rng.normal(0, 0.1, 20).astype(np.float32),
    gamma1=rng.uniform(0.5, 1.5, 20), beta1=rng.normal(0, 0.1, 20),
    running_mean1=rng.normal(0, 0.1, 20), running_var1=rng.uniform(0.5, 1.5, 20),
    W2=rng.normal(0, 0.3, (20, 10)), b2=rng.normal(0, 0.1, 10))
np.savez(out + '/stored.npz', **a)
np.savez_compressed(out + '/compressed.npz', **a)
x = np.linspace(0, 1, 784)
h = x @ a['W1'].astype(np.float32).astype(np.float64) + a['b1']
h = a['gamma1'] * (h - a['running_mean1']) / np.sqrt(a['running_var1'] + 1e-6) + a['beta1']
y = np.tanh(h) * (1 - 0.25) @ a['W2'] + a['b2']
p = np.exp(y - y.max()); p /= p.sum()
np.savez(out + '/int.npz', W1=np.ones((3, 2), dtype=np.int32))
np.savez(out + '/fortran.npz', W1=np.asfortranarray(np.ones((3, 2), dtype=np.float32)))
np.savez(out + '/cube.npz', W1=np.ones((2, 2, 2), dtype=np.float32))
np.save(out + '/plain.npy', np.ones(3))
json.dump(dict(probabilities=p.tolist(), W1_00=a['W1'][0, 0]), open(out + '/expected.json', 'w'))
`;
      const python = spawnSync('python3', ['-c', script, dir], { encoding: 'utf8' });
      expect(python.stderr).toBe('');
      expect(python.status).toBe(0);
      expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as typeof expected;
    });
    const file = (name: string) => new Uint8Array(readFileSync(path.join(dir, name)));

    it.each(['stored.npz', 'compressed.npz'])('reads numpy.savez’s and savez_compressed’s %s', async (name) => {
      const arrays = await parseNpz(file(name));
      expect(arrays.map((a) => [a.name, a.shape])).toEqual([
        ['W1', [784, 20]],
        ['b1', [20]],
        ['gamma1', [20]],
        ['beta1', [20]],
        ['running_mean1', [20]],
        ['running_var1', [20]],
        ['W2', [20, 10]],
        ['b2', [10]],
      ]);
      const net = netFromArrays(arrays, { activation: 'tanh', dropoutRatio: 0.25, label: name });
      expect(net.hidden).toEqual([20]);
      expect(net.batchNorm).toBe(true);
      const input = Float32Array.from({ length: 784 }, (_, i) => i / 783);
      const probabilities = [...predict(net, input, 1)[0]!];
      probabilities.forEach((p, i) => expect(p).toBeCloseTo(expected.probabilities[i]!, 5));
    });

    it.each([
      ['int.npz', 'dtype', 'The array W1 has dtype <i4; only float32 (<f4) and float64 (<f8) are read.'],
      ['fortran.npz', 'fortranOrder', 'The array W1 is in Fortran order; save it in C order (np.ascontiguousarray).'],
      ['cube.npz', 'dimensions', 'The array W1 has shape (2, 2, 2); only 1-D and 2-D arrays are read.'],
      ['plain.npy', 'notZip', 'This is not an .npz file (not a zip archive).'],
    ])('refuses %s: %s', async (name, problem, message) => {
      const error = await failure(parseNpz(file(name)));
      expect([error.problem, error.message]).toEqual([problem, message]);
    });
  });

  it('refuses what is no .npz, or is cut short or damaged', async () => {
    const npz = netNpz(labNet({ label: 'a', hidden: [5], activation: 'relu', batchNorm: false, dropoutRatio: 0 }));
    const cases: [Uint8Array, string][] = [
      [new TextEncoder().encode('just text'), 'notZip'],
      [new Uint8Array(0), 'notZip'],
      [npz.subarray(0, npz.length - 30), 'truncated'],
      [npz.subarray(0, 100), 'truncated'],
      [zipStored([{ name: 'notes.txt', data: new TextEncoder().encode('hi') }]), 'notNpy'],
      [zipStored([]), 'noArrays'],
      [zipStored([{ name: 'W1.npy', data: new TextEncoder().encode('not an npy') }]), 'npyHeader'],
      [
        zipStored([
          {
            name: 'W1.npy',
            data: npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }\n", new Uint8Array(20)),
          },
        ]),
        'truncated',
      ],
      [
        zipStored([
          {
            name: 'b1.npy',
            data: npyFile("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }\n", new Uint8Array(8)),
          },
        ]),
        'dtype',
      ],
    ];
    const damaged = npz.slice();
    damaged[200] = damaged[200]! ^ 0xff;
    cases.push([damaged, 'damaged']);
    for (const [bytes, problem] of cases) expect((await failure(parseNpz(bytes))).problem, problem).toBe(problem);
  });
});
