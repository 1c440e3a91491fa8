import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPERIMENT_IDS, type ExperimentId, parseParams, slotOf } from '../shared/experiments';
import { upgradeRunRecord } from '../shared/record-upgrade';
import type { RunRecord } from '../shared/runs';
import { initBackend } from './backend';
import { runExperiment } from './runner';

/**
 * Golden runs: every experiment at its slot's reduced sizes (`goldenParams`), compared number for number
 * with the record saved in fixtures/golden/<id>.json. The records of the chapter's first experiments
 * were saved in run record format 1 before the engine was restructured and are read through
 * upgradeRunRecord, so the series' keys the engine sets now must also equal those the upgrade gives the
 * old names (record-upgrade.test.ts reads every format-1 record); an experiment added since saved its
 * record in the format of its day. A change that moves any point fails here.
 *
 * `DLFS_WRITE_GOLDEN=1 npx vitest run src/engine/golden.test.ts` writes the record of every experiment
 * that has none yet (a new one), in today's format, and leaves the saved ones as they are.
 * `DLFS_WRITE_GOLDEN=<id>,<id>` writes those experiments' records anew, only when a change of their
 * numbers is intended (a format-1 record rewritten is in today's format: keep at least one format-1
 * record, which the upgrade test needs).
 */
const goldenFile = (id: ExperimentId) => path.join(import.meta.dirname, '../../fixtures/golden', `${id}.json`);

/** Whether this run writes the golden record of `id` (DLFS_WRITE_GOLDEN: `1` a missing one, or a list of ids). */
function writesGolden(id: ExperimentId): boolean {
  const setting = process.env.DLFS_WRITE_GOLDEN ?? '';
  if (setting === '1') return !existsSync(goldenFile(id));
  return setting.split(',').some((named) => named.trim() === id);
}

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
    const record = await runExperiment(id, slotOf(id).goldenParams, { threads: 1 });
    expect(record.status).toBe('completed');
    if (writesGolden(id)) {
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
