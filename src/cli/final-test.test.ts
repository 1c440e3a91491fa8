import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testEvaluationSchema } from '../shared/final-test';
import { lab } from './lab-process.test-helpers';

/** `lab final-test`: step 4 of a saved search, measured once and kept in its record file. */
const out = mkdtempSync(path.join(tmpdir(), 'dlfs-final-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The step-4 result the search's file keeps. */
const keptEvaluation = (file: string) =>
  testEvaluationSchema.parse((JSON.parse(readFileSync(file, 'utf8')) as { testEvaluation: unknown }).testEvaluation);

describe('lab final-test', () => {
  it('measures the best trial on the test data once, keeps it, and prints it again instead of measuring', () => {
    const file = path.join(out, 'search.json');
    const sets = ['trials=3', 'epochs=2', 'trainSize=200', 'hidden=30'].flatMap((set) => ['--set', set]);
    expect(lab('run', 'hyperparameter-search', ...sets, '--out', file, '--quiet').status).toBe(0);
    const search = JSON.parse(readFileSync(file, 'utf8')) as { summary: { trials: { trial: number }[] } };
    const best = search.summary.trials[0]!.trial;

    const first = lab('final-test', file);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(
        `^step 4: trial ${best} \\(lr [\\d.e-]+, weight decay [\\d.e-]+\\), trained on 200 images for 2 epochs: test accuracy 0\\.\\d+\\n`,
      ),
    );
    const kept = keptEvaluation(file);
    expect(kept.trial).toBe(best);

    const again = lab('final-test', file, '--trial', '1');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`step 4: trial ${best} `);
    expect(again.stdout).toContain('not measured again');
    expect(keptEvaluation(file)).toEqual(kept);
  }, 120_000);

  it('refuses what is no completed search, or a trial it does not have', () => {
    const file = path.join(out, 'fig69.json');
    expect(lab('run', 'optimizers-mnist', '--set', 'iterations=3', '--out', file, '--quiet').status).toBe(0);
    const other = lab('final-test', file);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('only a hyper-parameter search has a step 4');
    const search = path.join(out, 'small.json');
    const sets = ['trials=2', 'epochs=1', 'trainSize=100', 'hidden=10'].flatMap((set) => ['--set', set]);
    expect(lab('run', 'hyperparameter-search', ...sets, '--out', search, '--quiet').status).toBe(0);
    const missing = lab('final-test', search, '--trial', '7');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('the search has no trial 7');
  }, 120_000);
});
