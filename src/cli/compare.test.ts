import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smoothCurve } from '../shared/smooth';
import type { RunRecord } from '../shared/runs';
import { lab } from './lab-process.test-helpers';
import { readRecordFile } from './record-file';

/** `lab run --from`, `lab compare`, `lab export` on real short runs of optimizers-mnist. */
const out = mkdtempSync(path.join(tmpdir(), 'dlfs-compare-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const file = (name: string) => path.join(out, name);

let saved: RunRecord;
beforeAll(() => {
  const result = lab(
    'run',
    'optimizers-mnist',
    '--set',
    'iterations=30',
    '--set',
    'optimizers=SGD,Adam',
    '--seed',
    '5',
    '--out',
    file('a.json'),
    '--quiet',
  );
  expect(result.status, result.stderr).toBe(0);
  saved = readRecordFile(file('a.json'));
});

describe('lab run --from', () => {
  it('reruns a saved record: the same experiment, parameters and seed give the same series', () => {
    const result = lab('run', '--from', file('a.json'), '--out', file('again.json'), '--quiet');
    expect(result.status, result.stderr).toBe(0);
    const again = readRecordFile(file('again.json'));
    expect(again.params).toEqual(saved.params);
    expect(again.seed).toBe(5);
    expect(again.series).toEqual(saved.series);
  });

  it('takes --set overrides on top of the saved parameters', () => {
    const result = lab(
      'run',
      '--from',
      file('a.json'),
      '--set',
      'optimizers.SGD.lr=0.1',
      '--out',
      file('b.json'),
      '--quiet',
    );
    expect(result.status, result.stderr).toBe(0);
    const changed = readRecordFile(file('b.json'));
    expect(changed.params.optimizers).toEqual([
      { name: 'SGD', lr: 0.1 },
      { name: 'Adam', lr: 0.001, beta1: 0.9, beta2: 0.999 },
    ]);
    expect(changed.series.find((s) => s.key.optimizer === 'SGD')!.y).not.toEqual(
      saved.series.find((s) => s.key.optimizer === 'SGD')!.y,
    );
    expect(changed.series.find((s) => s.key.optimizer === 'Adam')!.y).toEqual(
      saved.series.find((s) => s.key.optimizer === 'Adam')!.y,
    );
  });

  it('refuses a file that is no run record, and a record of another experiment than the one named', () => {
    writeFileSync(file('junk.json'), '{"hello": 1}');
    const junk = lab('run', '--from', file('junk.json'));
    expect(junk.status).toBe(2);
    expect(junk.stderr).toContain('junk.json is not a run record');
    const other = lab('run', 'dropout', '--from', file('a.json'));
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('is a run of optimizers-mnist, not dropout');
  });
});

describe('lab compare', () => {
  it('prints only the parameters that differ, then the key results side by side', () => {
    const result = lab('compare', file('a.json'), file('b.json'));
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^optimizers-mnist: 1 of \d+ parameters differ$/);
    expect(lines[2]).toMatch(/^optimizers\.SGD\.lr\s+0\.01\s+0\.1$/);
    expect(result.stdout).toContain('key results');
    const sgd = smoothCurve(saved.series.find((s) => s.key.optimizer === 'SGD')!.y).at(-1)!;
    expect(lines.find((l) => l.startsWith('SGD loss'))).toContain(String(Number(sgd.toPrecision(4))));
    expect(lab('compare', file('a.json'), file('b.json'), '--all').stdout).toContain('optimizers.Adam.beta2');
  });

  it('refuses runs of different experiments, saying which', () => {
    const paths = lab('run', 'optimizer-paths', '--set', 'steps=3', '--out', file('paths.json'), '--quiet');
    expect(paths.status).toBe(0);
    const result = lab('compare', file('a.json'), file('paths.json'));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'runs of different experiments cannot be compared: optimizers-mnist and optimizer-paths',
    );
  });
});

describe('lab export', () => {
  it('writes the series as CSV that reads back to the record’s numbers', () => {
    expect(lab('export', file('a.json'), '--format', 'csv', '--out', file('a.csv')).status).toBe(0);
    const [header, ...rows] = readFileSync(file('a.csv'), 'utf8').trimEnd().split('\r\n');
    expect(header).toBe('x,"iterations 30, optimizers SGD, Adam / SGD","iterations 30, optimizers SGD, Adam / Adam"');
    const cells = rows.map((row) => row.split(',').map(Number));
    expect(cells.map((r) => r[0])).toEqual(saved.series[0]!.x);
    expect(cells.map((r) => r[1])).toEqual(saved.series[0]!.y);
    expect(cells.map((r) => r[2])).toEqual(saved.series[1]!.y);
  });

  it('writes JSON to standard output, and says how to use it when the format is missing', () => {
    const json = lab('export', file('a.json'), '--format', 'json');
    expect(json.status).toBe(0);
    expect((JSON.parse(json.stdout) as { rows: number[][] }).rows).toHaveLength(30);
    const bad = lab('export', file('a.json'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--format csv|json');
  });
});
