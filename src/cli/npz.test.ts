import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDataDir } from '../engine/data/mnist';
import { trainedNetsSchema } from '../shared/trained-nets';
import { lab } from './lab-process.test-helpers';

/**
 * Issue #19, "take the net to Python": a net trained by `lab run`, kept beside its record, exported as
 * .npz under the book's names, loaded by a copy of the book's forward pass (tests/python/book_forward.py,
 * NumPy only) gives the lab's test accuracy to 1e-4. Batch Norm (running statistics), dropout (the
 * test-time scaling) and tanh make every part of the pass count.
 */
const out = mkdtempSync(path.join(tmpdir(), 'dlfs-npz-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('a trained net exported as .npz', () => {
  it('loads into the book’s forward pass and gets the lab’s test accuracy', () => {
    const record = path.join(out, 'run.json');
    const variant = {
      name: 'bn tanh dropout',
      hidden: [40, 30],
      activation: 'tanh',
      batchNorm: true,
      dropoutRatio: 0.2,
      optimizer: { name: 'Adam', lr: 0.005 },
    };
    const run = lab(
      'run',
      'workbench',
      '--set',
      `variants=${JSON.stringify([variant])}`,
      '--set',
      'seeds=1',
      '--set',
      'epochs=2',
      '--set',
      'trainSize=600',
      '--quiet',
      '--out',
      record,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const nets = trainedNetsSchema.parse(JSON.parse(readFileSync(path.join(out, 'run.nets.json'), 'utf8')));
    expect(nets.nets.map((n) => n.label)).toEqual(['bn tanh dropout · seed 1']);
    const lab_accuracy = nets.nets[0]!.report!.testAccuracy;
    expect(lab_accuracy).toBeGreaterThan(0.3);

    const npz = path.join(out, 'net.npz');
    const exported = lab('export', record, '--format', 'npz', '--out', npz);
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toContain('W1 784x40');
    const python = spawnSync(
      'python3',
      ['tests/python/book_forward.py', npz, defaultDataDir(), '--activation', 'tanh', '--dropout', '0.2'],
      { encoding: 'utf8' },
    );
    expect(python.stderr).toBe('');
    const result = JSON.parse(python.stdout) as { accuracy: number; arrays: string[]; images: number };
    expect(result.images).toBe(10_000);
    expect(result.arrays).toEqual(
      ['W1', 'W2', 'W3', 'b1', 'b2', 'b3', 'beta1', 'beta2', 'gamma1', 'gamma2']
        .concat(['running_mean1', 'running_mean2', 'running_var1', 'running_var2'])
        .sort(),
    );
    expect(Math.abs(result.accuracy - lab_accuracy)).toBeLessThanOrEqual(1e-4);
  }, 120_000);

  it('a run without kept nets, or a label that is none: exit 2 with a message', () => {
    const record = path.join(out, 'paths.json');
    expect(lab('run', 'optimizer-paths', '--quiet', '--out', record).status).toBe(0);
    const none = lab('export', record, '--format', 'npz');
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/no trained nets kept beside it/);
    const bad = lab('export', path.join(out, 'run.json'), '--format', 'npz', '--net', 'nope');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no net "nope" \(one of: bn tanh dropout · seed 1\)/);
  }, 60_000);
});
