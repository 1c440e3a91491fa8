import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPERIMENT_IDS, type ExperimentId, parseParams } from '../shared/experiments';
import { upgradeRunRecord } from '../shared/record-upgrade';
import type { RunRecord } from '../shared/runs';
import { initBackend } from './backend';
import { runExperiment } from './runner';

/**
 * Golden runs: every experiment at reduced sizes, compared number for number with the record saved in
 * fixtures/golden/ before the engine was restructured (run record format 1, read through
 * upgradeRunRecord, so the series' keys the engine sets now must also equal those the upgrade gives
 * the old names). A change that moves any point fails here.
 * `DLFS_WRITE_GOLDEN=1 npx vitest run src/engine/golden.test.ts` writes the files anew (only when a
 * change of numbers is intended).
 */
export const GOLDEN_PARAMS: { [Id in ExperimentId]: Record<string, unknown> } = {
  'optimizer-paths': { steps: 30, optimizers: ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSprop', 'Adam'] },
  'optimizers-mnist': {
    iterations: 40,
    batchSize: 32,
    hidden: [30, 20],
    lambda: 0.01,
    optimizers: ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSprop', 'Adam'],
  },
  'init-activations': { grid: true, samples: 200, nodes: 20, layers: 3, bins: 10 },
  'init-mnist': { iterations: 40, batchSize: 32, hidden: [30, 20] },
  'batch-norm': { scales: 3, epochs: 2, trainSize: 200, hidden: [30, 20] },
  'weight-decay': { epochs: 3, trainSize: 100, hidden: [30, 20], lambda: 0.1 },
  dropout: { epochs: 3, trainSize: 100, hidden: [30, 20], dropoutRatio: 0.2 },
  'hyperparameter-search': { trials: 4, epochs: 2, trainSize: 100, hidden: [30, 20] },
};

const goldenFile = (id: ExperimentId) => path.join(import.meta.dirname, '../../fixtures/golden', `${id}.json`);

/**
 * What must not change: every series' identity and numbers, the summary and the status, and the
 * parameters (as today's schema reads them: a parameter added since, at its default, changes nothing).
 */
function comparable(record: RunRecord) {
  const params = parseParams(record.experiment as ExperimentId, record.params);
  return { status: record.status, params, series: record.series, summary: record.summary };
}

beforeAll(async () => {
  await initBackend();
});

describe.each(EXPERIMENT_IDS)('golden run of %s', (id) => {
  it('gives the same series and summary as the saved record', async () => {
    const record = await runExperiment(id, GOLDEN_PARAMS[id], { threads: 1 });
    expect(record.status).toBe('completed');
    if (process.env.DLFS_WRITE_GOLDEN === '1') {
      const { startedAt: _s, finishedAt: _f, dataset: _d, ...stable } = record;
      writeFileSync(
        goldenFile(id),
        `${JSON.stringify({ ...stable, startedAt: '2026-11-30T00:00:00.000Z', finishedAt: '2026-11-30T00:00:01.000Z' }, null, 1)}\n`,
      );
    }
    const saved = upgradeRunRecord(JSON.parse(readFileSync(goldenFile(id), 'utf8')));
    expect(comparable(record)).toEqual(comparable(saved));
  });
});
