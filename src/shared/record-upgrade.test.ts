import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPERIMENT_IDS, type ExperimentId, figuresFor } from './experiments';
import { upgradeRunRecord } from './record-upgrade';
import { RUN_RECORD_VERSION, type RunRecord } from './runs';
import { weightScales } from './slots/batch-norm';

const goldenFile = (id: ExperimentId) => path.join(import.meta.dirname, '../../fixtures/golden', `${id}.json`);

/** An experiment's golden record as saved (engine/golden.test.ts writes it), or undefined while it has none. */
const savedGolden = (id: ExperimentId): Record<string, unknown> | undefined =>
  existsSync(goldenFile(id))
    ? (JSON.parse(readFileSync(goldenFile(id), 'utf8')) as Record<string, unknown>)
    : undefined;

/**
 * The experiments whose golden record was saved in format 1 (series named only, before series had
 * keys): the chapter's first ones. An experiment added since saves its golden record in the format of
 * its day (LATER_FORMATS).
 */
const FORMAT_ONE = EXPERIMENT_IDS.filter((id) => {
  const saved = savedGolden(id);
  return saved !== undefined && saved.formatVersion === undefined;
});
const LATER_FORMATS = EXPERIMENT_IDS.filter((id) => savedGolden(id)?.formatVersion !== undefined);

/** A run record of an experiment saved in format 1. */
const formatOne = (id: ExperimentId): Record<string, unknown> => {
  const saved = savedGolden(id);
  if (saved === undefined || saved.formatVersion !== undefined)
    throw new Error(`the golden record of ${id} is not in format 1`);
  return saved;
};

/**
 * Every series carries a key, each with the same fields (the experiment's identity of a series: a
 * series the upgrade did not recognize would lack them), no two the same; and the figures draw. That the
 * fields and values are those the engine sets today, engine/golden.test.ts checks: it compares each
 * golden record, upgraded, with a new run's.
 */
function expectKeyedAndDrawn(record: RunRecord): void {
  expect(record.series.length).toBeGreaterThan(0);
  const fields = Object.keys(record.series[0]!.key).sort();
  expect(fields.length, record.series[0]!.name).toBeGreaterThan(0);
  for (const series of record.series) expect(Object.keys(series.key).sort(), series.name).toEqual(fields);
  // Identities are distinct: no two series say they are the same thing.
  const keys = record.series.map((s) => JSON.stringify({ metric: s.metric, ...s.key }));
  expect(new Set(keys).size).toBe(keys.length);
  const charts = figuresFor(record);
  expect(charts.length).toBeGreaterThan(0);
  expect(Math.max(...charts.map((c) => c.points))).toBeGreaterThan(0);
}

describe('upgradeRunRecord', () => {
  it('has format-1 golden records to read', () => {
    expect(FORMAT_ONE.length).toBeGreaterThan(0);
  });

  it.each(FORMAT_ONE)(
    'reads a format-1 record of %s: every series gets its key, and its figures draw every point',
    (id) => {
      const record = upgradeRunRecord(formatOne(id));
      expect(record.formatVersion).toBe(RUN_RECORD_VERSION);
      expectKeyedAndDrawn(record);
    },
  );

  it.each(LATER_FORMATS)('reads the golden record of %s saved in a later format, keys as saved', (id) => {
    const saved = savedGolden(id)!;
    const record = upgradeRunRecord(saved);
    expect(record.formatVersion).toBe(RUN_RECORD_VERSION);
    if (saved.formatVersion === RUN_RECORD_VERSION) expect(record.series).toEqual(saved.series);
    expectKeyedAndDrawn(record);
  });

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
