import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RUN_RECORD_VERSION, type RunMeta, type RunRecord } from '../shared/runs';
import { optimizerLossSeries } from '../shared/slots/optimizers-mnist';
import { smoothCurve } from '../shared/smooth';
import { HistoryStore, INDEX_FILE } from './history';

/** Set `crash.file` to make the next atomic write of a file ending so die before its rename. */
const crash = vi.hoisted(() => ({ file: undefined as string | undefined }));
vi.mock('./atomic-file', async (importOriginal) => {
  const real = await importOriginal<typeof import('./atomic-file')>();
  return {
    writeFileAtomic(file: string, content: string) {
      if (crash.file !== undefined && file.endsWith(crash.file)) {
        crash.file = undefined;
        // What a kill between the temp file's write and the rename leaves: a temp file, half written.
        writeFileSync(`${file}.${process.pid}.0.tmp`, content.slice(0, content.length >> 1));
        throw new Error('killed mid-write');
      }
      real.writeFileAtomic(file, content);
    },
  };
});

const base = (): RunRecord => ({
  formatVersion: RUN_RECORD_VERSION,
  experiment: 'optimizers-mnist',
  params: { iterations: 10, seed: 1 },
  seed: 1,
  backend: 'wasm',
  status: 'running',
  startedAt: '2026-11-27T10:00:00.000Z',
  series: [],
  summary: {},
});

describe('HistoryStore', () => {
  let root: string;
  let store: HistoryStore;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'dlfs-history-'));
    store = new HistoryStore(root);
  });
  afterEach(() => {
    crash.file = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps streamed points until the final record replaces them', () => {
    store.create('run-a', base());
    store.appendPoints('run-a', [
      { series: 'SGD', metric: 'loss', key: { optimizer: 'SGD' }, x: [0, 1], y: [2.3, 2.2] },
    ]);
    store.appendPoints('run-a', [{ series: 'SGD', metric: 'loss', key: { optimizer: 'SGD' }, x: [2], y: [2.1] }]);
    store.markDiverged('run-a', optimizerLossSeries('Adam'), 7);
    const live = store.get('run-a');
    expect(live.status).toBe('running');
    expect(live.series.find((s) => s.name === 'SGD')).toMatchObject({ x: [0, 1, 2], y: [2.3, 2.2, 2.1] });
    expect(live.series.find((s) => s.name === 'Adam')?.divergedAt).toBe(7);

    const final: RunRecord = {
      ...base(),
      status: 'completed',
      finishedAt: '2026-11-27T10:01:00.000Z',
      series: [{ ...optimizerLossSeries('SGD'), x: [0], y: [1] }],
    };
    store.finish('run-a', final);
    expect(store.get('run-a')).toMatchObject({ status: 'completed', series: [{ name: 'SGD', x: [0], y: [1] }] });
    expect(readdirSync(path.join(root, 'run-a'))).toEqual(['record.json']);
  });

  it('opens a run saved in format 1 (series and points named only), with each series keyed', () => {
    const { formatVersion: _v, ...formatOne } = base();
    store.create('old', base());
    writeFileSync(path.join(root, 'old', 'record.json'), JSON.stringify(formatOne));
    appendFileSync(
      path.join(root, 'old', 'points.jsonl'),
      '{"series":"Adam","metric":"loss","x":[0,1],"y":[2.3,2.2]}\n{"series":"Adam","divergedAt":2}\n',
    );
    expect(store.list().map((e) => e.status)).toEqual(['running']);
    const record = store.get('old');
    expect(record.formatVersion).toBe(RUN_RECORD_VERSION);
    expect(record.series).toEqual([{ ...optimizerLossSeries('Adam'), x: [0, 1], y: [2.3, 2.2], divergedAt: 2 }]);
  });

  it('loses at most a torn last line when the writer is killed mid-append', () => {
    store.create('run-b', base());
    store.appendPoints('run-b', [
      { series: 'SGD', metric: 'loss', key: { optimizer: 'SGD' }, x: [0, 1], y: [2.3, 2.2] },
    ]);
    appendFileSync(path.join(root, 'run-b', 'points.jsonl'), '{"series":"SGD","metric":"loss","x":[2,3],"y":[2.');
    const ended = store.finishFromPoints('run-b', 'failed', 'the training worker stopped: killed by SIGKILL');
    expect(ended.status).toBe('failed');
    expect(ended.error).toContain('SIGKILL');
    expect(ended.series[0]).toMatchObject({ name: 'SGD', x: [0, 1], y: [2.3, 2.2] });
    expect(store.get('run-b').status).toBe('failed');
  });

  it('lists a damaged run as damaged and still lists the others', () => {
    store.create('good', { ...base(), status: 'completed' });
    store.create('bad', base());
    writeFileSync(path.join(root, 'bad', 'record.json'), '{"experiment": "optimizers-mnist", "sta');
    store.create('wrong-shape', base());
    writeFileSync(path.join(root, 'wrong-shape', 'record.json'), JSON.stringify({ hello: 1 }));
    const list = store.list();
    expect(list.map((e) => [e.id, e.status]).sort()).toEqual([
      ['bad', 'damaged'],
      ['good', 'completed'],
      ['wrong-shape', 'damaged'],
    ]);
    expect(list.find((e) => e.id === 'bad')?.problem).toBeTruthy();
  });

  it('turns runs left running by a dead process into cancelled runs with their points', () => {
    store.create('left', base());
    store.appendPoints('left', [{ series: 'Adam', metric: 'loss', key: { optimizer: 'Adam' }, x: [0], y: [2] }]);
    const reopened = new HistoryStore(root);
    expect(reopened.list().map((e) => e.status)).toEqual(['running']);
    expect(reopened.recoverInterrupted()).toEqual(['left']);
    expect(reopened.recoverInterrupted()).toEqual([]);
    const record = reopened.get('left');
    expect(record.status).toBe('cancelled');
    expect(record.error).toMatch(/interrupted/);
    expect(record.series[0]?.y).toEqual([2]);
  });

  it('recovers runs left queued by a killed app as cancelled, never started', () => {
    store.create('waiting', { ...base(), status: 'queued' });
    const reopened = new HistoryStore(root);
    expect(reopened.recoverInterrupted()).toEqual(['waiting']);
    const record = reopened.get('waiting');
    expect(record.status).toBe('cancelled');
    expect(record.error).toMatch(/before it started/);
    expect(record.series).toEqual([]);
  });

  it('writes the record atomically: no temp files are left and the JSON is whole', () => {
    store.create('atomic', base());
    for (let i = 0; i < 20; i++) store.finish('atomic', { ...base(), status: 'completed', summary: { i } });
    expect(readdirSync(path.join(root, 'atomic'))).toEqual(['record.json']);
    const saved = JSON.parse(readFileSync(path.join(root, 'atomic', 'record.json'), 'utf8')) as RunRecord;
    expect(saved.summary).toEqual({ i: 19 });
  });

  it('refuses run ids that could leave its folder', () => {
    expect(() => store.get('../etc')).toThrow();
    expect(() => store.delete('a/b')).toThrow();
  });
  it('saves notes, tags and star atomically, also while the run goes, and keeps them when it finishes', () => {
    store.create('noted', base());
    store.appendPoints('noted', [{ series: 'SGD', metric: 'loss', key: { optimizer: 'SGD' }, x: [0], y: [2.3] }]);
    const meta: RunMeta = { notes: 'lr too small?', tags: [' lr-sweep ', 'sgd'], starred: true };
    const entry = store.updateMeta('noted', meta);
    expect(entry).toMatchObject({ id: 'noted', status: 'running', keyResults: [] });
    expect(entry.meta).toEqual({ notes: 'lr too small?', tags: ['lr-sweep', 'sgd'], starred: true });
    expect(readdirSync(path.join(root, 'noted')).sort()).toEqual(['points.jsonl', 'record.json']);
    expect(store.get('noted')).toMatchObject({ status: 'running', meta: entry.meta, series: [{ y: [2.3] }] });

    // The worker's final record has no meta: the one saved during the run stays.
    const y = [2.3, 2.1, 1.9];
    store.finish('noted', {
      ...base(),
      status: 'completed',
      finishedAt: '2026-11-27T10:01:00.000Z',
      series: [{ ...optimizerLossSeries('SGD'), x: [0, 1, 2], y }],
    });
    expect(store.get('noted').meta).toEqual(entry.meta);
    const listed = new HistoryStore(root).list()[0]!;
    expect(listed).toMatchObject({ id: 'noted', status: 'completed', meta: entry.meta });
    expect(listed.keyResults).toEqual([{ label: 'SGD loss', value: smoothCurve(y).at(-1) }]);

    // Edited again after the end; a run stopped without a record keeps its meta too.
    store.updateMeta('noted', { notes: '', tags: [], starred: false });
    expect(store.get('noted').meta).toEqual({ notes: '', tags: [], starred: false });
    store.create('stopped', base());
    store.updateMeta('stopped', meta);
    expect(store.finishFromPoints('stopped', 'cancelled').meta?.tags).toEqual(['lr-sweep', 'sgd']);
    expect(store.get('stopped').meta?.starred).toBe(true);
  });

  it('a crash while saving the meta leaves the old record, and listing recovers from a crash before the index write', () => {
    store.create('safe', { ...base(), status: 'completed' });
    store.updateMeta('safe', { notes: 'first', tags: [], starred: false });
    crash.file = path.join('safe', 'record.json');
    expect(() => store.updateMeta('safe', { notes: 'second', tags: ['x'], starred: true })).toThrow(/killed/);
    expect(readdirSync(path.join(root, 'safe')).length).toBe(2); // record.json and the torn temp file
    expect(store.get('safe').meta?.notes).toBe('first');
    expect(new HistoryStore(root).list()[0]?.meta?.notes).toBe('first');

    // The record is written, then the process dies before the index is: the next start reads the record.
    crash.file = INDEX_FILE;
    store.updateMeta('safe', { notes: 'third', tags: [], starred: true });
    const reopened = new HistoryStore(root);
    expect(reopened.list()[0]?.meta).toEqual({ notes: 'third', tags: [], starred: true });
    reopened.recoverInterrupted();
    expect(readdirSync(root).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to annotate a run that does not exist or cannot be read, and leaves it as it was', () => {
    const meta: RunMeta = { notes: 'x', tags: [], starred: false };
    expect(() => store.updateMeta('missing', meta)).toThrow(/no run "missing"/);
    store.create('torn', base());
    writeFileSync(path.join(root, 'torn', 'record.json'), '{"experiment": "optim');
    expect(() => store.updateMeta('torn', meta)).toThrow(/cannot be read/);
    expect(readFileSync(path.join(root, 'torn', 'record.json'), 'utf8')).toBe('{"experiment": "optim');
    expect(() => store.updateMeta('torn', { ...meta, tags: Array.from({ length: 21 }, () => 't') })).toThrow();
  });

  it('lists every field the table needs; key results once the run has ended', () => {
    store.create('full', { ...base(), dataset: '/data/mnist', params: { iterations: 10, seed: 7 }, seed: 7 });
    expect(store.list()).toEqual([
      {
        id: 'full',
        experiment: 'optimizers-mnist',
        status: 'running',
        startedAt: '2026-11-27T10:00:00.000Z',
        backend: 'wasm',
        dataset: '/data/mnist',
        seed: 7,
        params: { iterations: 10, seed: 7 },
        keyResults: [],
        meta: { notes: '', tags: [], starred: false },
      },
    ]);
    store.finish('full', {
      ...base(),
      status: 'diverged',
      finishedAt: '2026-11-27T10:02:00.000Z',
      series: [{ ...optimizerLossSeries('Adam'), x: [0, 1], y: [2.3, Number.NaN] }],
    });
    expect(store.list()[0]).toMatchObject({
      status: 'diverged',
      finishedAt: '2026-11-27T10:02:00.000Z',
      // The last finite value: a diverged net keeps the loss it had before it stopped.
      keyResults: [{ label: 'Adam loss', value: 2.3 }],
    });
  });
});

describe('HistoryStore index', () => {
  let root: string;
  let store: HistoryStore;
  const finished = (startedAt: string): RunRecord => ({
    ...base(),
    status: 'completed',
    startedAt,
    finishedAt: startedAt,
    series: [{ ...optimizerLossSeries('SGD'), x: [0, 1], y: [2.3, 2.2] }],
  });
  const readIndex = () =>
    JSON.parse(readFileSync(path.join(root, INDEX_FILE), 'utf8')) as {
      version: number;
      runs: { record: unknown; entry: { id: string; experiment: string } }[];
    };
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'dlfs-history-index-'));
    store = new HistoryStore(root);
    store.create('a', finished('2026-11-27T10:00:00.000Z'));
    store.create('b', finished('2026-11-27T11:00:00.000Z'));
    store.create('c', { ...base(), startedAt: '2026-11-27T12:00:00.000Z' });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is kept beside the runs on every change, newest run first', () => {
    expect(
      readIndex()
        .runs.map((r) => r.entry.id)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
    expect(store.list().map((e) => e.id)).toEqual(['c', 'b', 'a']);
    store.delete('b');
    expect(
      readIndex()
        .runs.map((r) => r.entry.id)
        .sort(),
    ).toEqual(['a', 'c']);
    expect(readdirSync(root).sort()).toEqual(['a', 'c', INDEX_FILE]);
  });

  it('is what listing returns: the records are not read again while they do not change', () => {
    const index = readIndex();
    for (const run of index.runs) if (run.entry.id === 'a') run.entry.experiment = 'straight-from-the-index';
    writeFileSync(path.join(root, INDEX_FILE), JSON.stringify(index));
    const reopened = new HistoryStore(root);
    expect(reopened.list().find((e) => e.id === 'a')?.experiment).toBe('straight-from-the-index');
    // The same store sees the index replaced under it, too.
    expect(store.list().find((e) => e.id === 'a')?.experiment).toBe('straight-from-the-index');

    // The record changes (a new mtime): its entry is read again, the others are not.
    utimesSync(path.join(root, 'a', 'record.json'), new Date(), new Date(Date.now() + 5000));
    expect(reopened.list().find((e) => e.id === 'a')?.experiment).toBe('optimizers-mnist');
    expect(readIndex().runs.find((r) => r.entry.id === 'a')?.entry.experiment).toBe('optimizers-mnist');
  });

  it('is rebuilt from the records when deleted or corrupted', () => {
    store.updateMeta('a', { notes: 'kept', tags: ['t'], starred: true });
    const expected = store.list();
    rmSync(path.join(root, INDEX_FILE));
    expect(new HistoryStore(root).list()).toEqual(expected);
    expect(readIndex().runs).toHaveLength(3);

    for (const garbage of [
      '{"version":1,"runs":[{"record":',
      'not json at all \u0000',
      '{"version":99,"runs":[]}',
      '[]',
    ]) {
      writeFileSync(path.join(root, INDEX_FILE), garbage);
      expect(new HistoryStore(root).list()).toEqual(expected);
      expect(readIndex().runs).toHaveLength(3);
    }

    // One bad entry: that run is read again, the others come from the index.
    const index = readIndex();
    index.runs[0] = { record: 'nonsense', entry: { id: index.runs[0]!.entry.id, experiment: 'x' } };
    writeFileSync(path.join(root, INDEX_FILE), JSON.stringify(index));
    expect(new HistoryStore(root).list()).toEqual(expected);

    // A live store whose index file is deleted writes it again at the next listing.
    rmSync(path.join(root, INDEX_FILE));
    expect(store.list()).toEqual(expected);
    expect(existsSync(path.join(root, INDEX_FILE))).toBe(true);
  });

  it('picks up a run folder it did not know and forgets one removed behind its back', () => {
    store.list();
    cpSync(path.join(root, 'a'), path.join(root, 'copied'), { recursive: true });
    mkdirSync(path.join(root, 'not a run id'));
    expect(store.list().map((e) => e.id)).toEqual(['c', 'b', 'copied', 'a']);
    rmSync(path.join(root, 'b'), { recursive: true });
    expect(new HistoryStore(root).list().map((e) => e.id)).toEqual(['c', 'copied', 'a']);
    expect(
      readIndex()
        .runs.map((r) => r.entry.id)
        .sort(),
    ).toEqual(['a', 'c', 'copied']);
  });

  it('lists a damaged run as damaged, from the index too, and a repaired one again', () => {
    const good = readFileSync(path.join(root, 'a', 'record.json'), 'utf8');
    writeFileSync(path.join(root, 'a', 'record.json'), good.slice(0, 40));
    mkdirSync(path.join(root, 'empty'));
    const damaged = () =>
      new HistoryStore(root)
        .list()
        .filter((e) => e.status === 'damaged')
        .map((e) => [e.id, e.problem]);
    expect(damaged()).toEqual([
      ['empty', 'record.json is missing'],
      ['a', expect.stringMatching(/JSON/)],
    ]);
    expect(readIndex().runs.filter((r) => r.entry.id === 'a' || r.entry.id === 'empty')).toHaveLength(2);
    expect(damaged()).toHaveLength(2);
    writeFileSync(path.join(root, 'a', 'record.json'), good);
    expect(damaged()).toEqual([['empty', 'record.json is missing']]);
    writeFileSync(path.join(root, 'empty', 'record.json'), JSON.stringify({ ...base(), status: 'cancelled' }));
    expect(damaged()).toEqual([]);
  });

  it('deletes several runs with their entries; unknown ids are skipped', () => {
    store.deleteMany(['a', 'c', 'never-was']);
    expect(store.list().map((e) => e.id)).toEqual(['b']);
    expect(readdirSync(root).sort()).toEqual(['b', INDEX_FILE]);
    expect(() => store.deleteMany(['b', '../escape'])).toThrow();
    expect(existsSync(path.join(root, 'b'))).toBe(true);
    // A deletion cut short by a crash (folder renamed, not yet removed) is finished at the next start.
    mkdirSync(path.join(root, '.deleting-b-x1y2z3'));
    expect(store.list().map((e) => e.id)).toEqual(['b']);
    store.recoverInterrupted();
    expect(readdirSync(root).sort()).toEqual(['b', INDEX_FILE]);
  });

  it('recovers runs left running by a killed app through the index, and the index follows', () => {
    store.appendPoints('c', [{ series: 'SGD', metric: 'loss', key: { optimizer: 'SGD' }, x: [0], y: [2] }]);
    const reopened = new HistoryStore(root);
    expect(reopened.recoverInterrupted()).toEqual(['c']);
    expect(new HistoryStore(root).list().find((e) => e.id === 'c')).toMatchObject({
      status: 'cancelled',
      keyResults: [{ label: 'SGD loss', value: 2 }],
    });
  });
});
