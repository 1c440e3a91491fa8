import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPERIMENT_IDS, type ExperimentId, slotOf } from './experiments';
import { upgradeRunRecord } from './record-upgrade';
import { smoothCurve } from './smooth';

/** The saved golden record of an experiment (reduced sizes, fixtures/golden/). */
const golden = (id: ExperimentId) =>
  upgradeRunRecord(
    JSON.parse(readFileSync(path.join(import.meta.dirname, '../../fixtures/golden', `${id}.json`), 'utf8')),
  );

describe('key results', () => {
  it.each(EXPERIMENT_IDS)('sum up a run of %s in finite numbers', (id) => {
    const results = slotOf(id).keyResults(golden(id));
    expect(results.length).toBeGreaterThan(0);
    for (const { label, value } of results) {
      expect(label).not.toBe('');
      expect(Number.isFinite(value), label).toBe(true);
    }
  });

  it('are the final smoothed loss per optimizer, the test accuracy and gap per λ, Best-1 of the search', () => {
    const mnist = golden('optimizers-mnist');
    const sgd = mnist.series.find((s) => s.key.optimizer === 'SGD')!;
    expect(slotOf('optimizers-mnist').keyResults(mnist)[0]).toEqual({
      label: 'SGD loss',
      value: smoothCurve(sgd.y).at(-1),
    });

    const decay = golden('weight-decay');
    const final = (lambda: number, split: string) =>
      decay.series.find((s) => s.key.lambda === lambda && s.key.split === split)!.y.at(-1)!;
    expect(slotOf('weight-decay').keyResults(decay)).toEqual([
      { label: 'λ=0 test accuracy', value: final(0, 'test') },
      { label: 'λ=0 gap', value: final(0, 'train') - final(0, 'test') },
      { label: 'λ=0.1 test accuracy', value: final(0.1, 'test') },
      { label: 'λ=0.1 gap', value: final(0.1, 'train') - final(0.1, 'test') },
    ]);

    const search = golden('hyperparameter-search');
    const best = (search.summary.trials as { validationAccuracy: number; lr: number }[])[0]!;
    expect(slotOf('hyperparameter-search').keyResults(search).slice(0, 2)).toEqual([
      { label: 'Best-1 val acc', value: best.validationAccuracy },
      { label: 'Best-1 lr', value: best.lr },
    ]);
  });
});
