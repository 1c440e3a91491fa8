import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunRecord, runRecordSchema } from '../shared/runs';
import { lab } from './lab-process.test-helpers';

/** The workbench from a command line: variants set by --set, a preset, a saved run of the book's comparison. */
const out = mkdtempSync(path.join(tmpdir(), 'dlfs-cli-workbench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const readRecord = (file: string): RunRecord => runRecordSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
const small = ['--set', 'trainSize=200', '--set', 'epochs=2', '--set', 'batchSize=50', '--quiet'];

describe('lab run workbench', () => {
  it('builds plain; Batch Norm; Batch Norm with dropout 0.2 by --set and trains each with 3 seeds', () => {
    const file = path.join(out, 'three.json');
    const result = lab(
      'run',
      'workbench',
      ...small,
      '--set',
      'variants.0.hidden=30,20',
      '--set',
      'variants.1.hidden=30,20',
      '--set',
      'variants.2.dropoutRatio=0.2',
      '--set',
      'variants.2.name=BN dropout',
      '--set',
      'variants.2.optimizer.name=Adam',
      '--set',
      'seeds=3',
      '--out',
      file,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const record = readRecord(file);
    expect(record.status).toBe('completed');
    const variants = (record.params.variants as { name: string; batchNorm: boolean; dropoutRatio: number }[]).map(
      (v) => [v.name, v.batchNorm, v.dropoutRatio],
    );
    expect(variants).toEqual([
      ['plain', false, 0],
      ['Batch Norm', true, 0],
      ['BN dropout', true, 0.2],
    ]);
    // 3 variants x 3 seeds x (loss, train, test); the seeds are 1, 2, 3.
    expect(record.series).toHaveLength(27);
    expect(record.series.filter((s) => s.key.variant === 'BN dropout' && s.metric === 'test accuracy')).toHaveLength(3);
    expect(record.series.map((s) => s.name)).toContain('BN dropout · test · seed 3');
    // The repeats differ (other batches, weights, masks); every accuracy has epochs 0, 1, 2.
    const tests = record.series.filter((s) => s.key.variant === 'plain' && s.metric === 'test accuracy');
    expect(new Set(tests.map((s) => s.y.join()))).toHaveProperty('size', 3);
    for (const s of record.series.filter((s) => s.metric !== 'loss')) expect(s.x).toEqual([0, 1, 2]);
    expect(record.claims?.map((c) => c.id)).toEqual(['no-divergence', 'no-overfitting', 'best-beyond-spread']);
  }, 120_000);

  it('--preset optimizers-mnist starts from Fig. 6-9, and --set changes a variant', () => {
    const file = path.join(out, 'preset.json');
    const result = lab(
      'run',
      'workbench',
      '--preset',
      'optimizers-mnist',
      '--set',
      'iterations=20',
      '--set',
      'variants.2.optimizer.name=RMSprop',
      '--quiet',
      '--out',
      file,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const record = readRecord(file);
    const optimizers = (record.params.variants as { name: string; optimizer: { name: string } }[]).map((v) => [
      v.name,
      v.optimizer.name,
    ]);
    expect(optimizers).toEqual([
      ['SGD', 'SGD'],
      ['Momentum', 'Momentum'],
      ['AdaGrad', 'RMSprop'],
      ['Adam', 'Adam'],
    ]);
    expect(record.series.map((s) => [s.metric, s.y.length])).toEqual(Array(4).fill(['loss', 20]));
  }, 120_000);

  it('--from a saved weight-decay run opens it as workbench variants with the same numbers', () => {
    const saved = path.join(out, 'weight-decay.json');
    const reopened = path.join(out, 'reopened.json');
    const common = ['--set', 'epochs=2', '--set', 'trainSize=100', '--set', 'hidden=30,20', '--quiet'];
    expect(lab('run', 'weight-decay', ...common, '--out', saved).status).toBe(0);
    const result = lab('run', 'workbench', '--from', saved, '--quiet', '--out', reopened);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const [before, after] = [readRecord(saved), readRecord(reopened)];
    const test = (record: RunRecord, lambda: number) =>
      record.series.find(
        (s) => s.metric === 'test accuracy' && (s.key.lambda === lambda || s.key.variant === `λ=${lambda}`),
      )?.y;
    expect(test(after, 0)).toEqual(test(before, 0));
    expect(test(after, 0.1)).toEqual(test(before, 0.1));
    expect(test(after, 0.1)?.length).toBe(3);
  }, 120_000);

  it('a clash of names, a preset that is none, --preset elsewhere: exit 2 with a message', () => {
    const clash = lab('run', 'workbench', ...small, '--set', 'variants.2.lambda=0.1');
    expect(clash.status).toBe(2);
    expect(clash.stderr).toMatch(/variants: each variant needs a name of its own/);
    const unknown = lab('run', 'workbench', '--preset', 'batch-norm');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--preset takes one of optimizers-mnist, init-mnist, weight-decay, dropout/);
    expect(lab('run', 'dropout', '--preset', 'dropout').status).toBe(2);
  });
});
