import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunListEntry } from '../shared/api';
import { RUN_RECORD_VERSION, type RunRecord } from '../shared/runs';
import { optimizerLossSeries } from '../shared/slots/optimizers-mnist';
import { HistoryStore } from './history';
import { type HostDialogs, dispatchLabCall } from './lab-rpc';
import { LabService, type WorkerProcess } from './lab-service';
import { SettingsStore } from './settings';

/** The history's calls through the call table, on a real history folder; workers are stand-ins that never train. */

const record = (startedAt: string): RunRecord => ({
  formatVersion: RUN_RECORD_VERSION,
  experiment: 'optimizers-mnist',
  params: { iterations: 2, seed: 1 },
  seed: 1,
  backend: 'wasm',
  status: 'completed',
  startedAt,
  finishedAt: startedAt,
  series: [{ ...optimizerLossSeries('SGD'), x: [0, 1], y: [2.3, 2.2] }],
  summary: {},
});

/** A worker that takes a run and never answers: the run stays "running" in the service. */
const silentWorker = (): WorkerProcess => ({
  send: () => {},
  onMessage: () => {},
  onExit: () => {},
  kill: () => {},
});

// None of the calls tested here opens a dialog.
const dialogs = {} as HostDialogs;

describe('history calls (dispatchLabCall)', () => {
  let dir: string;
  let history: HistoryStore;
  let service: LabService;
  const call = (name: string, ...args: unknown[]) => dispatchLabCall(service, dialogs, name, args);

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dlfs-rpc-'));
    history = new HistoryStore(path.join(dir, 'runs'));
    for (const [id, at] of [
      ['run-a', '2026-11-27T10:00:00.000Z'],
      ['run-b', '2026-11-27T11:00:00.000Z'],
      ['run-c', '2026-11-27T12:00:00.000Z'],
    ] as const)
      history.create(id, record(at));
    service = new LabService({
      history,
      settings: SettingsStore.inFolder(dir),
      launchWorker: silentWorker,
      defaultDataDir: dir,
      host: 'web',
      version: 'test',
    });
  });
  afterEach(() => {
    service.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('updateRunMeta saves the meta in the record and returns the list entry', async () => {
    const entry = (await call('updateRunMeta', 'run-b', {
      notes: 'Momentum overtakes SGD by 300',
      tags: ['  lr-sweep'],
      starred: true,
    })) as RunListEntry;
    expect(entry).toMatchObject({
      id: 'run-b',
      status: 'completed',
      meta: { notes: 'Momentum overtakes SGD by 300', tags: ['lr-sweep'], starred: true },
    });
    expect(entry.keyResults?.map((r) => r.label)).toEqual(['SGD loss']);
    const saved = JSON.parse(readFileSync(path.join(history.root, 'run-b', 'record.json'), 'utf8')) as RunRecord;
    expect(saved.meta).toEqual(entry.meta);
    // Listing returns entries newest first; a star does not move a run (the table sorts).
    const listed = (await call('listRuns')) as RunListEntry[];
    expect(listed.map((e) => [e.id, e.meta?.starred])).toEqual([
      ['run-c', false],
      ['run-b', true],
      ['run-a', false],
    ]);
  });

  it('updateRunMeta: meta the table rejects changes nothing; an unknown run is an error', async () => {
    const before = readFileSync(path.join(history.root, 'run-a', 'record.json'), 'utf8');
    const tags = Array.from({ length: 21 }, (_, i) => `tag${i}`);
    await expect(call('updateRunMeta', 'run-a', { notes: '', tags, starred: false })).rejects.toThrow(/bad arguments/);
    await expect(call('updateRunMeta', 'run-a', { notes: 'x', tags: [''], starred: false })).rejects.toThrow(
      /bad arguments/,
    );
    await expect(call('updateRunMeta', 'run-a', { notes: 'x', tags: [] })).rejects.toThrow(/bad arguments/);
    await expect(call('updateRunMeta', '../run-a', { notes: '', tags: [], starred: false })).rejects.toThrow(
      /bad arguments/,
    );
    expect(readFileSync(path.join(history.root, 'run-a', 'record.json'), 'utf8')).toBe(before);
    await expect(call('updateRunMeta', 'no-such-run', { notes: '', tags: [], starred: false })).rejects.toThrow(
      /no run "no-such-run"/,
    );
  });

  it('deleteRuns deletes each run and skips ids that do not exist', async () => {
    await call('deleteRuns', ['run-a', 'run-c', 'never-was']);
    expect(((await call('listRuns')) as RunListEntry[]).map((e) => e.id)).toEqual(['run-b']);
    expect(existsSync(path.join(history.root, 'run-a'))).toBe(false);
    expect(new HistoryStore(history.root).list().map((e) => e.id)).toEqual(['run-b']);
    await expect(call('deleteRuns', [])).rejects.toThrow(/bad arguments/);
    await expect(call('deleteRuns', ['run-b', '../x'])).rejects.toThrow(/bad arguments/);
    expect(existsSync(path.join(history.root, 'run-b'))).toBe(true);
  });

  it('deleteRuns refuses a running run and then deletes nothing', async () => {
    const { runId } = service.startRun({ experiment: 'optimizers-mnist', params: {} });
    await expect(call('deleteRuns', ['run-a', runId])).rejects.toThrow(/running run cannot be deleted/);
    expect(existsSync(path.join(history.root, 'run-a'))).toBe(true);
    await expect(call('deleteRun', runId)).rejects.toThrow(/running run cannot be deleted/);
  });
});

describe('dropoutMasks (Fig. 6-22) through the call table', () => {
  it("validates the request and hands it to the host's sampler; a host without one says so", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dlfs-rpc-'));
    const seen: unknown[] = [];
    const options = {
      history: new HistoryStore(path.join(dir, 'runs')),
      settings: SettingsStore.inFolder(dir),
      launchWorker: silentWorker,
      defaultDataDir: dir,
      host: 'web' as const,
      version: 'test',
    };
    const withSampler = new LabService({
      ...options,
      dropoutMasks: (request) => {
        seen.push(request);
        return request.sizes.map((n) => Array<boolean>(n).fill(true));
      },
    });
    const without = new LabService(options);
    try {
      const request = { ratio: 0.5, seed: 3, step: 2, sizes: [2, 1] };
      await expect(dispatchLabCall(withSampler, dialogs, 'dropoutMasks', [request])).resolves.toEqual([
        [true, true],
        [true],
      ]);
      expect(seen).toEqual([request]);
      await expect(
        dispatchLabCall(withSampler, dialogs, 'dropoutMasks', [{ ...request, sizes: [100_000] }]),
      ).rejects.toThrow(/bad arguments/);
      expect(seen).toHaveLength(1);
      await expect(dispatchLabCall(without, dialogs, 'dropoutMasks', [request])).rejects.toThrow(/dropout masks/);
    } finally {
      withSampler.shutdown();
      without.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
