import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kill } from 'node:process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../shared/runs';
import {
  LabSocket,
  type TestHost,
  countCrashes,
  endOf,
  lostPoints,
  received,
  report,
  seeded,
  sleep,
  smallMnist,
  startTestHost,
  until,
  workerPids,
} from './fault-helpers';

/**
 * Training workers killed with SIGKILL at seeded random moments, across 30 short runs of seven
 * experiments, one after another through the web host's socket: every killed run ends `failed`, and
 * its saved record holds every point the client received over the socket, point by point.
 */
const crashes = countCrashes();
const RUNS = 30;
let t: TestHost;

beforeAll(async () => {
  // A small dataset: each killed worker is replaced by a cold one, which loads it for the next run.
  const data = smallMnist(path.join(os.tmpdir(), `dlfs-faults-mnist-${process.pid}`));
  t = await startTestHost('workers', { dataDir: data });
});
afterAll(async () => {
  await t?.close();
  rmSync(path.join(os.tmpdir(), `dlfs-faults-mnist-${process.pid}`), { recursive: true, force: true });
});

/**
 * Small sizes, each long enough (a few seconds) to be killed while it streams. (optimizer-paths and
 * init-activations end within a blink: nothing to kill.)
 */
const EXPERIMENTS: { experiment: string; params: Record<string, unknown> }[] = [
  { experiment: 'optimizers-mnist', params: { iterations: 20_000, hidden: [30, 20], optimizers: ['SGD', 'Adam'] } },
  { experiment: 'init-mnist', params: { iterations: 20_000, hidden: [30, 20] } },
  { experiment: 'batch-norm', params: { trainSize: 200, hidden: [30, 20], epochs: 200, scales: 2 } },
  { experiment: 'dropout', params: { trainSize: 300, hidden: [30, 20], epochs: 300 } },
  { experiment: 'weight-decay', params: { trainSize: 300, hidden: [30, 20], epochs: 300 } },
  { experiment: 'hyperparameter-search', params: { trials: 40, epochs: 20, trainSize: 200, hidden: [30, 20] } },
];

describe('training workers killed mid-run', () => {
  it(`${RUNS} runs, each worker SIGKILLed at a random moment: failed, with every streamed point saved`, async () => {
    const r = seeded(44);
    const s = await LabSocket.open(t.port);
    const started = Date.now();
    let killed = 0;
    let pointsReceived = 0;
    let pointsLost = 0;
    const problems: string[] = [];
    const byExperiment: Record<string, number> = {};
    for (let i = 0; i < RUNS; i++) {
      const { experiment, params } = EXPERIMENTS[i % EXPERIMENTS.length]!;
      const { runId } = await s.result<{ runId: string }>('startRun', [{ experiment, params: { ...params, seed: i } }]);
      // Mostly after the first points, sometimes right after "started" (a record with no points yet).
      const early = r.next() < 0.15;
      const kind = early ? 'started' : 'progress';
      await until(
        () => s.events.some((e) => e.runId === runId && e.event.type === kind) || !!endOf(s.events, runId),
        `${kind} of ${experiment}`,
      );
      await sleep(early ? 0 : r.int(800));
      if (endOf(s.events, runId)) {
        problems.push(`${experiment} ended before its kill: make it longer`);
        continue;
      }
      const pids = workerPids();
      if (pids.length !== 1) {
        problems.push(`expected one worker, found ${pids.length}`);
        continue;
      }
      kill(pids[0]!, 'SIGKILL');
      killed++;
      byExperiment[experiment] = (byExperiment[experiment] ?? 0) + 1;
      await until(() => !!endOf(s.events, runId), `the end of killed ${experiment}`, 20_000);
      const end = endOf(s.events, runId)!.event;
      if (end.type !== 'failed') {
        problems.push(`${experiment}: ended ${end.type} (it finished before the kill landed)`);
        continue;
      }
      expect(end.error).toMatch(/training worker stopped: killed by SIGKILL/);
      const record = await s.result<RunRecord>('getRun', [runId]);
      expect(record.status).toBe('failed');
      expect(end.record?.status).toBe('failed');
      const got = received(s.events, runId);
      const n = [...got.values()].reduce((sum, v) => sum + v.x.length, 0);
      pointsReceived += n;
      const lost = lostPoints(got, record);
      pointsLost += lost;
      if (lost > 0) problems.push(`${experiment} (${runId}): ${lost} of ${n} points lost`);
      // The event's record and the stored one agree.
      expect(lostPoints(got, end.record!)).toBe(0);
    }
    // The host is still whole: it answers, lists every run, and a new run completes.
    const listed = await s.result<{ id: string; status: string }[]>('listRuns');
    expect(
      listed.filter((e) => e.status === 'failed').length,
      JSON.stringify({ problems, listed: listed.map((e) => e.status) }),
    ).toBe(killed);
    const { runId } = await s.result<{ runId: string }>('startRun', [
      { experiment: 'optimizers-mnist', params: { iterations: 20, hidden: [30, 20], optimizers: ['SGD'] } },
    ]);
    await until(() => !!endOf(s.events, runId), 'a run after the kills');
    expect(endOf(s.events, runId)!.event.type).toBe('finished');
    s.close();
    const note =
      `${killed} workers SIGKILLed in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
      `(${JSON.stringify(byExperiment)}); ${pointsReceived} points received, ${pointsLost} lost`;
    console.log(note);
    report('workers', { runsKilled: killed, pointsLost, crashes: crashes.count(), notes: [note] });
    expect(problems).toEqual([]);
    expect(killed).toBe(RUNS);
    expect(pointsLost).toBe(0);
    expect(crashes.errors).toEqual([]);
  });
});
