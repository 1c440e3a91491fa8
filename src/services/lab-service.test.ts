import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endedEvent, serviceInFolder, waitFor } from './lab-service.test-helpers';
import type { RunEvent } from '../shared/api';
import type { TestEvaluationReply } from '../shared/final-test';
import { LabCallError, dispatchLabCall, type HostDialogs } from './lab-rpc';
import { LabService, type WorkerProcess } from './lab-service';
import { forkNodeWorker } from './node-worker';

/** The supervisor with real worker processes (forked from source), real MNIST and a real history folder. */
const noDialogs: HostDialogs = {
  chooseDatasetDir: async (typed) => typed,
  saveFile: async () => ({ saved: false }),
};

describe('LabService', () => {
  let dir: string;
  let service: LabService;
  let events: RunEvent[];
  let workers: WorkerProcess[];
  let workerPids: number[];

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dlfs-service-'));
    workers = [];
    workerPids = [];
    ({ service, events } = serviceInFolder(dir, () => {
      const worker = forkNodeWorker();
      workers.push(worker);
      workerPids.push(worker.pid!);
      return worker;
    }));
  });
  afterEach(() => {
    service.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  const ended = (runId: string) => endedEvent(events, runId);

  it('runs an experiment in a worker, streams progress and stores the record', async () => {
    const { runId } = service.startRun({
      experiment: 'optimizers-mnist',
      params: { iterations: 40, optimizers: ['SGD', 'Adam'] },
    });
    await waitFor(() => ended(runId) !== undefined, 'the run to end');
    const types = events.filter((e) => e.runId === runId).map((e) => e.event.type);
    expect(types[0]).toBe('started');
    expect(types).toContain('progress');
    expect(types.at(-1)).toBe('finished');
    const record = service.getRun(runId);
    expect(record.status).toBe('completed');
    expect(record.series.map((s) => [s.name, s.y.length])).toEqual([
      ['SGD', 40],
      ['Adam', 40],
    ]);
    expect(service.listRuns()).toMatchObject([{ id: runId, status: 'completed', experiment: 'optimizers-mnist' }]);
    // Its trained nets are kept beside the record and read on request, never sent to the windows.
    expect(types).not.toContain('nets');
    expect(service.getRunNets(runId)?.nets.map((n) => n.label)).toEqual(['SGD', 'Adam']);
    expect(existsSync(path.join(dir, 'runs', runId, 'nets.json'))).toBe(true);
    expect(service.getRunInside(runId)).toBeNull();
  });

  it('keeps what a run recorded inside its nets beside the record, read on request', async () => {
    const { runId } = service.startRun({
      experiment: 'optimizers-mnist',
      params: { iterations: 20, optimizers: ['SGD', 'Adam'], hidden: [20], insideEvery: 10 },
    });
    await waitFor(() => ended(runId) !== undefined, 'the run to end');
    expect(events.filter((e) => e.runId === runId).map((e) => e.event.type)).not.toContain('inside');
    const inside = service.getRunInside(runId)!;
    expect(inside.nets.map((n) => [n.label, n.moments.map((m) => m.step)])).toEqual([
      ['SGD', [0, 10, 19]],
      ['Adam', [0, 10, 19]],
    ]);
    expect(service.getRun(runId).inside?.nets).toHaveLength(2);
    writeFileSync(path.join(dir, 'runs', runId, 'inside.json'), '{"every": 10, "nets": [');
    expect(() => service.getRunInside(runId)).toThrow(`the recording inside the nets of run "${runId}" cannot be read`);
  });

  it('step 4 of a search: measured once on the test data, kept in the record, a second request answered with it', async () => {
    const { runId } = service.startRun({
      experiment: 'hyperparameter-search',
      params: { trials: 3, epochs: 2, trainSize: 200, hidden: [30] },
    });
    await waitFor(() => ended(runId) !== undefined, 'the search to end');
    const record = service.getRun(runId);
    const best = (record.summary.trials as { trial: number; lr: number; weightDecay: number }[])[0]!;
    await expect(service.evaluateOnTest(runId, 99)).rejects.toThrow(`the search "${runId}" has no trial 99`);
    const launched = workers.length;
    // Two requests at once: one measurement, which both get.
    const [first, second] = await Promise.all([
      dispatchLabCall(service, noDialogs, 'evaluateOnTest', [runId, best.trial]) as Promise<TestEvaluationReply>,
      service.evaluateOnTest(runId, best.trial),
    ]);
    expect(workers.length).toBe(launched + 1);
    expect(first.repeated).toBe(false);
    expect(second).toEqual({ evaluation: first.evaluation, repeated: true });
    expect(first.evaluation).toMatchObject({ trial: best.trial, lr: best.lr, weightDecay: best.weightDecay });
    expect(first.evaluation).toMatchObject({ trainImages: 200, epochs: 2 });
    expect(first.evaluation.testAccuracy).toBeGreaterThan(0);
    expect(service.getRun(runId).testEvaluation).toEqual(first.evaluation);
    // Later, another trial: still the first result, not a second look at the test data.
    const third = await service.evaluateOnTest(runId, best.trial === 1 ? 2 : 1);
    expect(third).toEqual({ evaluation: first.evaluation, repeated: true });
    expect(workers.length).toBe(launched + 1);
  });

  it('step 4 only for a completed search', async () => {
    const { runId } = service.startRun({ experiment: 'optimizers-mnist', params: { iterations: 5, hidden: [10] } });
    await waitFor(() => ended(runId) !== undefined, 'the run to end');
    await expect(service.evaluateOnTest(runId, 1)).rejects.toThrow('is no hyper-parameter search');
  });

  it('rejects a bad parameter before anything starts', async () => {
    await expect(
      dispatchLabCall(service, noDialogs, 'startRun', [{ experiment: 'optimizers-mnist', params: { iterations: 0 } }]),
    ).rejects.toThrow(LabCallError);
    await expect(
      dispatchLabCall(service, noDialogs, 'startRun', [{ experiment: 'no-such-experiment', params: {} }]),
    ).rejects.toThrow(/unknown experiment "no-such-experiment" \(one of: optimizer-paths, /);
    await expect(dispatchLabCall(service, noDialogs, 'getRun', ['../../etc'])).rejects.toThrow(/bad arguments/);
    await expect(dispatchLabCall(service, noDialogs, 'nope', [])).rejects.toThrow(/unknown call/);
    expect(service.listRuns()).toEqual([]);
  });

  it('a killed worker fails its run with the reason and keeps the streamed points', async () => {
    const { runId } = service.startRun({ experiment: 'optimizers-mnist', params: { iterations: 50_000 } });
    // Points of every net streamed (the nets train on two threads, which may start apart under load).
    await waitFor(() => {
      const names = new Set(
        events.flatMap((e) =>
          e.runId === runId && e.event.type === 'progress' ? e.event.points.map((p) => p.series) : [],
        ),
      );
      return names.size >= 4;
    }, 'progress');
    for (const pid of workerPids) process.kill(pid, 'SIGKILL');
    await waitFor(() => ended(runId) !== undefined, 'the failure');
    const failure = ended(runId)!.event;
    expect(failure.type).toBe('failed');
    const record = service.getRun(runId);
    expect(record.status).toBe('failed');
    expect(record.error).toMatch(/SIGKILL/);
    expect(record.series).toHaveLength(4);
    expect(record.series[0]!.y.length).toBeGreaterThan(0);
    // The lab goes on: the next run gets a new worker.
    const next = service.startRun({ experiment: 'optimizers-mnist', params: { iterations: 5, optimizers: ['SGD'] } });
    await waitFor(() => ended(next.runId) !== undefined, 'the next run');
    expect(service.getRun(next.runId).status).toBe('completed');
  });

  it('cancels a run, and closing the lab mid-run saves it as cancelled with its points', async () => {
    const first = service.startRun({
      experiment: 'optimizers-mnist',
      params: { iterations: 50_000, optimizers: ['SGD'] },
    });
    await waitFor(() => events.some((e) => e.runId === first.runId && e.event.type === 'progress'), 'progress');
    service.cancelRun(first.runId);
    await waitFor(() => ended(first.runId) !== undefined, 'the cancel');
    expect(service.getRun(first.runId).status).toBe('cancelled');

    const second = service.startRun({
      experiment: 'optimizers-mnist',
      params: { iterations: 50_000, optimizers: ['Adam'] },
    });
    await waitFor(() => events.some((e) => e.runId === second.runId && e.event.type === 'progress'), 'progress');
    service.shutdown();
    const saved = service.getRun(second.runId);
    expect(saved.status).toBe('cancelled');
    expect(saved.error).toMatch(/closed/);
    expect(saved.series[0]!.y.length).toBeGreaterThan(0);
  });

  it('a dataset folder without IDX files fails the run with a message naming the file', async () => {
    service.setDataDir(dir);
    const { runId } = service.startRun({ experiment: 'optimizers-mnist', params: { iterations: 5 } });
    await waitFor(() => ended(runId) !== undefined, 'the failure');
    const failure = ended(runId)!.event;
    expect(failure.type).toBe('failed');
    expect(failure.type === 'failed' && failure.error).toMatch(/train-images-idx3-ubyte/);
  });
});
