import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RUN_RECORD_VERSION, type RunRecord } from '../shared/runs';
import { optimizerLossSeries } from '../shared/slots/optimizers-mnist';
import { HistoryStore } from './history';

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
  afterEach(() => rmSync(root, { recursive: true, force: true }));

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
});
