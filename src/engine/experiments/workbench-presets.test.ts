import { beforeAll, describe, expect, it } from 'vitest';
import { type ExperimentParams, parseParams, slotOf } from '../../shared/experiments';
import type { Series } from '../../shared/runs';
import { PRESET_EXPERIMENTS, type PresetExperiment, workbenchPreset } from '../../shared/workbench-presets';
import { initBackend } from '../backend';
import { recordRun } from '../runs.test-helpers';

/**
 * Each of the book's comparisons opened as a workbench preset trains the same nets on the same batches
 * as its experiment: every loss and accuracy equal, number for number (at the golden run's sizes, and
 * with a schedule, same starting weights and a second seed to reach the other branches).
 */
const cases: [PresetExperiment, Record<string, unknown>][] = [
  ...PRESET_EXPERIMENTS.map((id): [PresetExperiment, Record<string, unknown>] => [id, slotOf(id).goldenParams]),
  [
    'optimizers-mnist',
    { iterations: 30, batchSize: 16, hidden: [20], sameStartWeights: true, lrSchedule: 'step', lrEvery: 10, seed: 7 },
  ],
  ['init-mnist', { iterations: 25, batchSize: 16, hidden: [20, 10], activation: 'tanh', inits: [0.05, 'xavier'] }],
  ['weight-decay', { epochs: 3, trainSize: 80, hidden: [20], lambda: 0.3, lrSchedule: 'cosine', seed: 3 }],
  ['dropout', { epochs: 2, trainSize: 120, hidden: [25, 15], dropoutRatio: 0.5, batchSize: 50 }],
];

/** Series by the workbench variant (or the experiment's series order) and metric, values only. */
const valuesOf = (series: readonly Series[]) =>
  series.filter((s) => s.x.length > 0).map((s) => ({ metric: s.metric, x: s.x, y: s.y, divergedAt: s.divergedAt }));

beforeAll(async () => {
  await initBackend();
});

describe.each(cases)('the workbench preset of %s', (id, given) => {
  it('gives the numbers of the experiment', async () => {
    const params = parseParams(id, given) as ExperimentParams<typeof id>;
    const preset = workbenchPreset(id, params);
    const [experiment, workbench] = [await recordRun(id, params), await recordRun('workbench', preset)];
    expect(experiment.record.status).toBe('completed');
    expect(workbench.record.status).toBe('completed');
    // The experiment's series in its order of nets, each net's metrics in the workbench's order.
    const variants = preset.variants.map((v) => v.name);
    const order = ['loss', 'train accuracy', 'test accuracy'];
    const expected = valuesOf(experiment.record.series).sort(
      (a, b) => order.indexOf(a.metric) - order.indexOf(b.metric),
    );
    const measured = workbench.record.series.filter((s) => expected.some((e) => e.metric === s.metric));
    const byNet = (list: readonly Series[]) => variants.flatMap((v) => list.filter((s) => s.key.variant === v));
    expect(measured.length).toBeGreaterThan(0);
    expect(valuesOf(byNet(measured))).toEqual(
      variants.flatMap((_, net) =>
        order.flatMap((metric) => {
          const ofMetric = expected.filter((e) => e.metric === metric);
          return ofMetric.length > 0 ? [ofMetric[net]!] : [];
        }),
      ),
    );
  }, 120_000);
});
