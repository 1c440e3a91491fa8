import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPERIMENT_IDS, type ExperimentId, figuresFor } from './experiments';
import { upgradeRunRecord } from './record-upgrade';
import { RUN_RECORD_VERSION } from './runs';
import { weightScales } from './slots/batch-norm';

/** A run record of every experiment saved in format 1 (series named only), before series had keys. */
const formatOne = (id: ExperimentId): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, '../../fixtures/golden', `${id}.json`), 'utf8')) as Record<
    string,
    unknown
  >;

/** The key fields each experiment's series must carry after the upgrade. */
const KEY_FIELDS: { [Id in ExperimentId]: string[] } = {
  'optimizer-paths': ['optimizer'],
  'optimizers-mnist': ['optimizer'],
  'init-activations': ['activation', 'init', 'layer'],
  'init-mnist': ['init'],
  'batch-norm': ['batchNorm', 'scale', 'split'],
  'weight-decay': ['lambda', 'split'],
  dropout: ['dropoutRatio', 'split'],
  'hyperparameter-search': ['trial', 'split', 'lr', 'weightDecay'],
};

describe('upgradeRunRecord', () => {
  it.each(EXPERIMENT_IDS)(
    'reads a format-1 record of %s: every series gets its key, and its figures draw every point',
    (id) => {
      const old = formatOne(id);
      expect(old.formatVersion).toBeUndefined();
      const record = upgradeRunRecord(old);
      expect(record.formatVersion).toBe(RUN_RECORD_VERSION);
      expect(record.series.length).toBeGreaterThan(0);
      for (const series of record.series)
        expect(Object.keys(series.key).sort(), series.name).toEqual([...KEY_FIELDS[id]].sort());
      // Identities are distinct: no two series say they are the same thing.
      const keys = record.series.map((s) => JSON.stringify({ metric: s.metric, ...s.key }));
      expect(new Set(keys).size).toBe(keys.length);
      const charts = figuresFor(record);
      expect(charts.length).toBeGreaterThan(0);
      expect(Math.max(...charts.map((c) => c.points))).toBeGreaterThan(0);
    },
  );

  it('gives Batch Norm series the run’s exact scale, not the three digits of the name', () => {
    const record = upgradeRunRecord({
      ...formatOne('batch-norm'),
      params: { ...(formatOne('batch-norm').params as object), scales: 16 },
      series: [{ name: 'Normal|std=0.541', metric: 'train accuracy', x: [0], y: [0.1] }],
    });
    expect(record.series[0]!.key).toEqual({ batchNorm: false, scale: weightScales(16)[1], split: 'train' });
  });

  it('takes a search trial’s sampled values from the summary; a run that ended before it has none', () => {
    const old = formatOne('hyperparameter-search');
    const trials = (old.summary as { trials: { trial: number; lr: number; weightDecay: number }[] }).trials;
    const record = upgradeRunRecord(old);
    const first = record.series.find((s) => s.key.trial === 1)!;
    const sampled = trials.find((t) => t.trial === 1)!;
    expect(first.key).toMatchObject({ lr: sampled.lr, weightDecay: sampled.weightDecay });
    const cut = upgradeRunRecord({ ...old, summary: {} });
    expect(cut.series[0]!.key).toEqual({ trial: 1, split: 'train' });
  });

  it('leaves a record of today’s format as it is, and keys a series of an unknown experiment as nothing', () => {
    const today = upgradeRunRecord(formatOne('dropout'));
    expect(upgradeRunRecord(today)).toEqual(today);
    const unknown = upgradeRunRecord({ ...formatOne('dropout'), experiment: 'from-a-later-version' });
    expect(unknown.series.every((s) => Object.keys(s.key).length === 0)).toBe(true);
  });

  it('refuses what is not a run record, naming the field', () => {
    expect(() => upgradeRunRecord({ ...formatOne('dropout'), series: 'none' })).toThrow(/series/);
    expect(() => upgradeRunRecord({ ...formatOne('dropout'), formatVersion: 0 })).toThrow(/formatVersion/);
  });

  it('says that a record from a later format was written by a newer lab', () => {
    expect(() => upgradeRunRecord({ ...formatOne('dropout'), formatVersion: 99 })).toThrow(
      /written by a newer DLFS Lab \(run record format 99; this version reads formats 1 to 2\)/,
    );
  });
});
