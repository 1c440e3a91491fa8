import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunListEntry } from '../../shared/api';
import type { RunRecord } from '../../shared/runs';
import {
  LabSocket,
  type TestHost,
  countCrashes,
  endOf,
  lostPoints,
  received,
  report,
  smallMnist,
  startTestHost,
  until,
} from './fault-helpers';

/**
 * The history folder broken on disk: a truncated record.json, a torn points.jsonl, a missing file, a
 * record from a newer lab, a read-only folder and a full disk. Each gives a clear message, and the
 * other runs stay readable. The read-only folder and the full disk are tmpfs mounts (we run as root,
 * so chmod would not stop a write); where mounting is not permitted those cases are skipped, saying so.
 */
const crashes = countCrashes();
const root = mkdtempSync(path.join(os.tmpdir(), 'dlfs-faults-files-'));
const data = smallMnist(path.join(root, 'mnist'));
const mounts: string[] = [];
let filesBroken = 0;
let pointsLost = 0;
const notes: string[] = [];

/** Why mounting is not possible here, or null when it is. */
function mountProblem(): string | null {
  const probe = path.join(root, 'probe');
  mkdirSync(probe);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'pipe' });
    execFileSync('umount', [probe], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `mount -t tmpfs is not permitted here (${(error as Error).message.split('\n')[0]})`;
  }
}
let cannotMount: string | null = null;

function mountTmpfs(dir: string, options: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
  mounts.push(dir);
}

beforeAll(() => {
  cannotMount = mountProblem();
  if (cannotMount) notes.push(`skipped the read-only and full-disk cases: ${cannotMount}`);
});
afterAll(() => {
  for (const dir of mounts.reverse()) {
    try {
      execFileSync('umount', [dir], { stdio: 'pipe' });
    } catch {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    }
  }
  rmSync(root, { recursive: true, force: true });
  report('files', { filesBroken, pointsLost, crashes: crashes.count(), notes });
  expect(crashes.errors).toEqual([]);
});

const SHORT = { experiment: 'optimizers-mnist', params: { iterations: 20, hidden: [30, 20], optimizers: ['SGD'] } };

/** Starts a run and waits for its end event. */
async function runToEnd(
  s: LabSocket,
  request: unknown,
): Promise<{ runId: string; end: NonNullable<ReturnType<typeof endOf>> }> {
  const { runId } = await s.result<{ runId: string }>('startRun', [request]);
  await until(() => !!endOf(s.events, runId), `the end of ${runId}`);
  return { runId, end: endOf(s.events, runId)! };
}

async function errorOf(s: LabSocket, method: string, args: unknown[]): Promise<string> {
  const reply = await s.call(method, args);
  if (reply.type !== 'error') throw new Error(`${method} succeeded: ${JSON.stringify(reply).slice(0, 200)}`);
  return reply.message;
}

describe('a history with broken files', () => {
  it('lists each broken run as damaged with why, and the others stay readable', async () => {
    const stateDir = path.join(root, 'state-broken');
    let t: TestHost = await startTestHost('files', { stateDir, dataDir: data });
    let s = await LabSocket.open(t.port);
    const good = [(await runToEnd(s, SHORT)).runId, (await runToEnd(s, SHORT)).runId];
    const runs = path.join(stateDir, 'runs');
    const goodRecord = readFileSync(path.join(runs, good[0]!, 'record.json'), 'utf8');
    const parsed = JSON.parse(goodRecord) as RunRecord & Record<string, unknown>;
    const series = parsed.series[0]!;
    const broken = (id: string, files: Record<string, string>) => {
      mkdirSync(path.join(runs, id));
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(runs, id, name), text);
      filesBroken++;
    };
    broken('b-truncated', { 'record.json': goodRecord.slice(0, goodRecord.length >> 1) });
    broken('b-empty', { 'record.json': '' });
    broken('b-binary', { 'record.json': '\u0000\u00ff\u0013garbage' });
    broken('b-missing', { 'points.jsonl': '' });
    broken('b-not-a-record', { 'record.json': JSON.stringify({ hello: 'world' }) });
    broken('b-future', {
      'record.json': JSON.stringify({ ...parsed, id: 'b-future', formatVersion: 99, hologram: { depth: 3 } }),
    });
    // Unknown fields in today's format: read (the fields are kept on disk), not damaged.
    broken('b-extra-fields', { 'record.json': JSON.stringify({ ...parsed, id: 'b-extra-fields', hologram: true }) });
    mkdirSync(path.join(runs, 'b-record-is-a-folder', 'record.json'), { recursive: true });
    filesBroken++;
    // A run cut off mid-write: record "running", the last line of its points torn, a junk line in between.
    const line = (x: number[], y: number[]) =>
      JSON.stringify({ series: series.name, metric: series.metric, key: series.key, x, y });
    broken('b-torn', {
      'record.json': JSON.stringify({
        ...parsed,
        id: 'b-torn',
        status: 'running',
        series: [],
        summary: {},
        finishedAt: undefined,
      }),
      'points.jsonl': `${line([0, 1], [2.5, 2.25])}\n{"series": nonsense\n${line([2], [2])}\n${line([3, 4], [1.5, 1]).slice(0, 30)}`,
    });
    // The index cached before the damage: it must notice the changed files.
    writeFileSync(path.join(runs, good[1]!, 'points.jsonl'), '{"torn');
    filesBroken++;

    const listed = new Map((await s.result<RunListEntry[]>('listRuns')).map((e) => [e.id, e]));
    const problem = (id: string) => {
      const entry = listed.get(id);
      expect(entry?.status, id).toBe('damaged');
      return entry?.status === 'damaged' ? (entry.problem ?? '') : '';
    };
    expect(problem('b-truncated')).toMatch(/JSON/);
    expect(problem('b-empty')).toMatch(/JSON/);
    expect(problem('b-binary')).toMatch(/JSON/);
    expect(problem('b-missing')).toMatch(/record\.json is missing/);
    expect(problem('b-not-a-record')).toMatch(/not a run record/);
    expect(problem('b-future')).toMatch(/written by a newer DLFS Lab \(run record format 99/);
    expect(problem('b-record-is-a-folder')).toMatch(/EISDIR|directory/);
    expect(listed.get('b-extra-fields')?.status).toBe('completed');
    expect(listed.get('b-torn')?.status).toBe('running');
    for (const id of good) expect(listed.get(id)?.status).toBe('completed');
    // Opening one: an error saying why, never a crash; the good ones open.
    for (const id of ['b-truncated', 'b-missing', 'b-future', 'b-record-is-a-folder', 'b-not-a-record']) {
      const message = await errorOf(s, 'getRun', [id]);
      expect(message.length, id).toBeGreaterThan(5);
      notes.push(`getRun ${id}: ${message.split('\n')[0]!.slice(0, 140)}`);
    }
    for (const id of good) expect((await s.result<RunRecord>('getRun', [id])).status).toBe('completed');
    expect((await s.result<RunRecord>('getRun', ['b-extra-fields'])).status).toBe('completed');
    // The torn run's good lines are read, the junk and the torn line skipped.
    const torn = await s.result<RunRecord>('getRun', ['b-torn']);
    expect(torn.series[0]).toMatchObject({ x: [0, 1, 2], y: [2.5, 2.25, 2] });
    // Notes on a damaged run: refused with why; on the one with extra fields: kept, and the fields too.
    expect(await errorOf(s, 'updateRunMeta', ['b-truncated', { notes: 'x', tags: [], starred: true }])).toMatch(
      /cannot be read/,
    );
    await s.result('updateRunMeta', ['b-extra-fields', { notes: 'x', tags: [], starred: true }]);
    expect(JSON.parse(readFileSync(path.join(runs, 'b-extra-fields', 'record.json'), 'utf8'))).toMatchObject({
      hologram: true,
    });
    // Deleting a damaged run works.
    await s.result('deleteRun', ['b-binary']);
    s.close();

    // A new lab over the same history: the torn run is recovered as cancelled with its points.
    await t.host.close();
    t = await startTestHost('files-again', { stateDir, dataDir: data });
    s = await LabSocket.open(t.port);
    const recovered = await s.result<RunRecord>('getRun', ['b-torn']);
    expect(recovered.status).toBe('cancelled');
    expect(recovered.series[0]).toMatchObject({ x: [0, 1, 2], y: [2.5, 2.25, 2] });
    const again = new Map((await s.result<RunListEntry[]>('listRuns')).map((e) => [e.id, e.status]));
    expect(again.get('b-truncated')).toBe('damaged');
    expect(again.has('b-binary')).toBe(false);
    for (const id of good) expect(again.get(id)).toBe('completed');
    // And it still runs.
    expect((await runToEnd(s, SHORT)).end.event.type).toBe('finished');
    s.close();
    await t.close();
  });

  it('a read-only history folder: runs are listed and opened; a new run fails saying why', async (context) => {
    if (cannotMount) return context.skip(cannotMount);
    const stateDir = path.join(root, 'state-ro');
    const runs = path.join(stateDir, 'runs');
    mountTmpfs(runs, 'size=4m');
    const t = await startTestHost('files-ro', { stateDir, dataDir: data });
    const s = await LabSocket.open(t.port);
    const good = (await runToEnd(s, SHORT)).runId;
    execFileSync('mount', ['-o', 'remount,ro', runs], { stdio: 'pipe' });
    filesBroken++;
    expect((await s.result<RunListEntry[]>('listRuns')).map((e) => e.status)).toEqual(['completed']);
    expect((await s.result<RunRecord>('getRun', [good])).status).toBe('completed');
    // A run: refused or failed, with the reason.
    const reply = await s.call('startRun', [SHORT]);
    let why: string;
    if (reply.type === 'error') why = reply.message;
    else if (reply.type === 'result') {
      const { runId } = reply.result as { runId: string };
      await until(() => !!endOf(s.events, runId), 'the run on a read-only history');
      const end = endOf(s.events, runId)!.event;
      expect(end.type).toBe('failed');
      why = end.type === 'failed' ? end.error : '';
    } else throw new Error('a run event where a reply was due');
    expect(why).toMatch(/read-only file system/i);
    notes.push(`read-only history, startRun: ${why}`);
    const metaError = await errorOf(s, 'updateRunMeta', [good, { notes: 'x', tags: [], starred: false }]);
    expect(metaError).toMatch(/read-only/i);
    const deleteError = await errorOf(s, 'deleteRun', [good]);
    expect(deleteError).toMatch(/read-only/i);
    notes.push(`read-only history, deleteRun: ${deleteError}`);
    // Still answering, the old run still there; writable again, runs complete again.
    expect((await s.result<RunRecord>('getRun', [good])).status).toBe('completed');
    execFileSync('mount', ['-o', 'remount,rw', runs], { stdio: 'pipe' });
    expect((await runToEnd(s, SHORT)).end.event.type).toBe('finished');
    s.close();
    await t.close();
  });

  it('a full disk: the run fails saying so, the others stay readable, the lab goes on', async (context) => {
    if (cannotMount) return context.skip(cannotMount);
    const stateDir = path.join(root, 'state-full');
    const runs = path.join(stateDir, 'runs');
    // Room for a short run with its kept nets (about 130 kB), filled up below.
    mountTmpfs(runs, 'size=1m');
    const t = await startTestHost('files-full', { stateDir, dataDir: data });
    const s = await LabSocket.open(t.port);
    const good = (await runToEnd(s, SHORT)).runId;
    // Leave a few kB: the run below streams far more points than that.
    const filler = path.join(runs, 'filler.bin');
    let size = 1024 * 1024;
    while (size > 0) {
      try {
        writeFileSync(filler, Buffer.alloc(size));
        break;
      } catch {
        size -= 8 * 1024;
      }
    }
    writeFileSync(filler, Buffer.alloc(Math.max(0, size - 16 * 1024)));
    filesBroken++;
    const big = {
      experiment: 'optimizers-mnist',
      params: { iterations: 3000, hidden: [30, 20], optimizers: ['SGD', 'Momentum', 'AdaGrad', 'Adam'] },
    };
    const { runId, end } = await runToEnd(s, big);
    expect(end.event.type).toBe('failed');
    const why = end.event.type === 'failed' ? end.event.error : '';
    expect(why).toMatch(/no space left/i);
    notes.push(`full disk: ${why}`);
    expect((await s.result<RunRecord>('getRun', [good])).status).toBe('completed');
    const listed = await s.result<RunListEntry[]>('listRuns');
    expect(listed.map((e) => e.id)).toContain(good);
    expect(listed.map((e) => e.id)).toContain(runId);
    // Space again: the lab goes on.
    rmSync(filler);
    // Every point the client received was saved before it was sent (the record itself could not be
    // rewritten on the full disk: it is read back from its points).
    const got = received(s.events, runId);
    const lost = lostPoints(got, await s.result<RunRecord>('getRun', [runId]));
    pointsLost += lost;
    expect([...got.values()].some((series) => series.x.length > 0)).toBe(true);
    expect(lost).toBe(0);
    expect((await runToEnd(s, SHORT)).end.event.type).toBe('finished');
    s.close();
    await t.close();
  });
});
