import { type ExperimentId, slotOf } from '../shared/experiments';
import { OPTIMIZER_NAMES } from '../shared/optimizers';
import type { RunRecord, Series } from '../shared/runs';
import { runExperiment } from './runner';

/**
 * Awkward run records of every experiment, for the figure invariants (figure-invariants.test.ts): real
 * runs at the edges of the parameters (1 and 64 weight scales, 1 and every optimizer, 1 and 1000 trials,
 * one hidden layer, a net that diverges in its first epoch), each also bent the ways a record can be
 * bent (cancelled at step 0 or half-way, one point per series, NaN and Infinity values, a net that
 * diverged at its first step, keys computed by another JavaScript engine, parameters this version
 * cannot read).
 */

export interface AwkwardRun {
  name: string;
  params: Record<string, unknown>;
}

const TINY_NET = { hidden: [12] };
const EVERY_OPTIMIZER = [...OPTIMIZER_NAMES];

/** The awkward runs of the chapter's experiments; one not listed is run at its golden sizes (awkwardRuns). */
const AWKWARD_RUNS: { [Id in ExperimentId]?: AwkwardRun[] } = {
  'optimizer-paths': [
    { name: '1 optimizer, 1 step', params: { steps: 1, optimizers: ['SGD'] } },
    { name: 'every optimizer', params: { steps: 30, optimizers: EVERY_OPTIMIZER } },
    { name: 'a path that runs away', params: { steps: 40, optimizers: [{ name: 'SGD', lr: 100 }, 'Adam'] } },
  ],
  'optimizers-mnist': [
    { name: '1 optimizer, 1 iteration', params: { iterations: 1, batchSize: 8, ...TINY_NET, optimizers: ['SGD'] } },
    { name: 'every optimizer', params: { iterations: 12, batchSize: 8, ...TINY_NET, optimizers: EVERY_OPTIMIZER } },
  ],
  'init-activations': [
    { name: '1 layer, 1 bin', params: { samples: 20, nodes: 5, layers: 1, bins: 1 } },
    { name: 'grid of every activation and init', params: { grid: true, samples: 20, nodes: 5, layers: 2, bins: 4 } },
  ],
  'init-mnist': [
    { name: '1 init, 1 iteration', params: { iterations: 1, batchSize: 8, ...TINY_NET, inits: ['he'] } },
    { name: 'book inits, one hidden layer', params: { iterations: 12, batchSize: 8, ...TINY_NET } },
  ],
  'batch-norm': [
    { name: '1 scale', params: { scales: 1, epochs: 1, trainSize: 20, batchSize: 10, ...TINY_NET } },
    { name: '64 scales', params: { scales: 64, epochs: 1, trainSize: 20, batchSize: 10, hidden: [4] } },
    // The book's net at std 1 without Batch Norm overflows in its first epoch (10 iterations).
    { name: 'the plain net diverges in epoch 1', params: { scales: 2, epochs: 1, trainSize: 1000 } },
  ],
  'weight-decay': [
    { name: 'λ 0: one net', params: { epochs: 1, trainSize: 20, batchSize: 10, ...TINY_NET, lambda: 0 } },
    { name: 'one hidden layer', params: { epochs: 2, trainSize: 20, batchSize: 10, ...TINY_NET } },
  ],
  dropout: [
    { name: 'ratio 0: one net', params: { epochs: 1, trainSize: 20, batchSize: 10, ...TINY_NET, dropoutRatio: 0 } },
    { name: 'one hidden layer', params: { epochs: 2, trainSize: 20, batchSize: 10, ...TINY_NET } },
  ],
  workbench: [
    {
      name: '1 variant, 1 seed, 1 iteration, loss only',
      params: {
        variants: [{ name: 'only', ...TINY_NET }],
        seeds: 1,
        length: 'iterations',
        iterations: 1,
        batchSize: 8,
        trainSize: 20,
        evaluation: 'none',
      },
    },
    {
      name: '3 variants × 3 seeds, one diverging, validation',
      params: {
        variants: [
          { name: 'plain', ...TINY_NET },
          // The book's 4-layer net at std 1 without Batch Norm overflows within a few updates.
          { name: 'std 1', hidden: [100, 100, 100, 100], init: 1, optimizer: { name: 'SGD', lr: 0.1 } },
          { name: 'BN', ...TINY_NET, batchNorm: true, dropoutRatio: 0.5 },
        ],
        seeds: 3,
        epochs: 2,
        trainSize: 50,
        batchSize: 10,
        evaluation: 'validation',
        trainImages: 'random',
      },
    },
    { name: 'at its golden sizes', params: slotOf('workbench').goldenParams },
  ],
  'hyperparameter-search': [
    { name: '1 trial', params: { trials: 1, epochs: 1, trainSize: 20, batchSize: 10, ...TINY_NET } },
    { name: '1000 trials', params: { trials: 1000, epochs: 1, trainSize: 10, batchSize: 10, hidden: [2] } },
  ],
};

/** The runs whose records the figure invariants bend: those listed above, else the slot's golden run. */
export const awkwardRuns = (id: ExperimentId): AwkwardRun[] =>
  AWKWARD_RUNS[id] ?? [{ name: 'at its golden sizes', params: slotOf(id).goldenParams }];

export async function runAwkward(id: ExperimentId, run: AwkwardRun): Promise<RunRecord> {
  return runExperiment(id, run.params, { threads: 1 });
}

/** A record bent one way, named for the test's title. */
export interface BentRecord {
  name: string;
  record: RunRecord;
  /** Whether its summary still describes its series (only the engine's own records). */
  summaryMatches: boolean;
}

const withSeries = (record: RunRecord, series: Series[], status = record.status): RunRecord => ({
  ...record,
  status,
  series,
});

const cut = (s: Series, n: number): Series => ({ ...s, x: s.x.slice(0, n), y: s.y.slice(0, n) });

/** The next float above `value` (one unit in the last place). */
function nextUp(value: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  view.setBigInt64(0, view.getBigInt64(0) + (value >= 0 ? 1n : -1n));
  return view.getFloat64(0);
}

/** Every way a record is bent, the record itself first. */
export function bentRecords(record: RunRecord): BentRecord[] {
  const { series } = record;
  // Histograms of an untrained net cannot diverge; losses, accuracies and paths can.
  const diverges = (s: Series) => s.metric !== 'histogram';
  const half = Math.ceil(series.length / 2);
  const bent = (name: string, changed: RunRecord): BentRecord => ({ name, record: changed, summaryMatches: false });
  return [
    { name: 'as run', record, summaryMatches: true },
    bent(
      'cancelled at step 0',
      withSeries(
        record,
        series.map((s) => cut(s, 0)),
        'cancelled',
      ),
    ),
    bent(
      'one point per series',
      withSeries(
        record,
        series.map((s) => cut(s, 1)),
        'cancelled',
      ),
    ),
    bent(
      'cancelled half-way through its members',
      withSeries(
        record,
        series.map((s, i) => (i < half ? s : cut(s, 0))),
        'cancelled',
      ),
    ),
    bent(
      'cancelled half-way through its steps',
      withSeries(
        record,
        series.map((s) => cut(s, Math.ceil(s.x.length / 2))),
        'cancelled',
      ),
    ),
    bent(
      'NaN and Infinity values',
      withSeries(
        record,
        series.map((s) => ({
          ...s,
          y: s.y.map((v, k) => (k === 1 ? NaN : k === 2 ? Infinity : k === 3 ? -Infinity : v)),
        })),
      ),
    ),
    bent(
      'the first member diverged at its first step',
      withSeries(
        record,
        series.map((s, i) =>
          i === 0 && diverges(s) ? { ...cut(s, s.x.length > 1 ? 1 : 0), divergedAt: s.x[1] ?? s.x[0] ?? 0 } : s,
        ),
      ),
    ),
    bent(
      'every member diverged at its first step',
      withSeries(
        record,
        series.map((s) => (diverges(s) ? { ...cut(s, 1), divergedAt: s.x[1] ?? s.x[0] ?? 0 } : s)),
        'diverged',
      ),
    ),
    // pow's last bit differs between JavaScript engines: the worker's scales against the window's.
    bent(
      'weight scales one unit in the last place apart',
      withSeries(
        record,
        series.map((s) => (s.key.scale === undefined ? s : { ...s, key: { ...s.key, scale: nextUp(s.key.scale) } })),
      ),
    ),
    bent('parameters this version cannot read', { ...record, params: { unknown: true } }),
  ];
}
