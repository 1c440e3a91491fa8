import type { SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lab } from './lab-process.test-helpers';
import { paramsJsonSchema } from '../shared/experiments';
import { OPTIMIZER_NAMES } from '../shared/optimizers';
import { type RunRecord, runRecordSchema } from '../shared/runs';

/** The command line end to end: `node --import tsx src/cli/index.ts ...` in a child process. */
const out = mkdtempSync(path.join(tmpdir(), 'dlfs-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** No error output (a native backend may still log informational lines to stderr). */
function expectNoErrors(result: SpawnSyncReturns<string>): void {
  expect(result.stderr).not.toMatch(/error|failed|bad parameter|unknown|usage/i);
}

function readRecord(file: string): RunRecord {
  return runRecordSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

describe('lab list', () => {
  it('lists the experiment with every parameter, its default and range, and every optimizer', () => {
    const result = lab('list');
    expectNoErrors(result);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('optimizers-mnist');
    expect(result.stdout).toContain('Fig. 6-9');
    for (const name of Object.keys(paramsJsonSchema('optimizers-mnist').properties ?? {})) {
      expect(result.stdout, name).toMatch(new RegExp(`^\\s+${name} = `, 'm'));
    }
    expect(result.stdout).toContain('iterations = 2000');
    expect(result.stdout).toContain('batchSize = 128');
    expect(result.stdout).toContain('hidden = [100,100,100,100]');
    expect(result.stdout).toContain('integer 1 to 1000000');
    for (const name of OPTIMIZER_NAMES) expect(result.stdout, name).toMatch(new RegExp(`^\\s+${name}: lr=`, 'm'));
  });
});

describe('lab run optimizers-mnist', () => {
  it('--set iterations=30 --out FILE: exit 0 and a run record with 4 loss series of 30 points', () => {
    const file = path.join(out, 'thirty.json');
    const result = lab('run', 'optimizers-mnist', '--set', 'iterations=30', '--out', file);
    expectNoErrors(result);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/optimizers-mnist on the \w+ backend, 30 steps/);
    expect(result.stdout).toMatch(/iteration 0 +SGD: \d+\.\d{4}/);
    expect(result.stdout).toContain(`completed in`);
    expect(result.stdout).toContain(`run record written to ${file}`);
    const record = readRecord(file);
    expect(record.status).toBe('completed');
    expect(record.experiment).toBe('optimizers-mnist');
    expect(record.params).toMatchObject({ iterations: 30, batchSize: 128 });
    expect(record.series.map((s) => s.name)).toEqual(['SGD', 'Momentum', 'AdaGrad', 'Adam']);
    for (const series of record.series) {
      expect(series.metric).toBe('loss');
      expect(series.x).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(series.y).toHaveLength(30);
      expect(series.y.every(Number.isFinite)).toBe(true);
    }
  });

  it('--set optimizers=SGD,Adam gives two series; --seed and --quiet apply', () => {
    const file = path.join(out, 'two.json');
    const result = lab(
      'run',
      'optimizers-mnist',
      '--set',
      'optimizers=SGD,Adam',
      '--set',
      'iterations=3',
      '--set',
      'hidden=[20]',
      '--seed',
      '5',
      '--threads',
      '1',
      '--quiet',
      '--out',
      file,
    );
    expectNoErrors(result);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(/\d+%/);
    const record = readRecord(file);
    expect(record.series.map((s) => s.name)).toEqual(['SGD', 'Adam']);
    expect(record.series.every((s) => s.y.length === 3)).toBe(true);
    expect(record.seed).toBe(5);
    expect(record.params).toMatchObject({ hidden: [20], seed: 5 });
  });

  it('--set iterations=300: plain progress lines with a percentage on stderr (not a terminal), no errors', () => {
    const result = lab('run', 'optimizers-mnist', '--set', 'iterations=300', '--threads', '1');
    expectNoErrors(result);
    expect(result.status).toBe(0);
    const lines = result.stderr.split('\n').filter((line) => /\d+% \d+\/300/.test(line));
    expect(lines.length).toBeGreaterThan(0);
    expect(result.stderr).not.toContain('\r');
    expect(lines.at(-1)).toMatch(/^optimizers-mnist: 100% 300\/300, \w+ elapsed, ETA 0s$/);
    expect(result.stdout).not.toMatch(/\d+% \d+\/300/);
  });

  it('--data with a missing folder: exit 1 and a message naming the folder', () => {
    const missing = path.join(out, 'nonexistent');
    const result = lab(
      'run',
      'optimizers-mnist',
      '--data',
      missing,
      '--set',
      'iterations=5',
      '--threads',
      '1',
      '--quiet',
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('run failed');
    expect(result.stderr).toContain(missing);
    expect(result.stderr).toContain('not found');
  });
});

describe('lab --help', () => {
  const cases: { args: string[]; usage: RegExp }[] = [
    { args: ['--help'], usage: /lab run <experiment>[\s\S]*lab figures/ },
    { args: ['list', '--help'], usage: /lab list/ },
    { args: ['run', '--help'], usage: /lab run <experiment> \[--set key=value/ },
    { args: ['run', 'optimizers-mnist', '-h'], usage: /lab run <experiment>/ },
    { args: ['figures', '--help'], usage: /lab figures --out DIR[\s\S]*--quiet/ },
    { args: ['compare', '--help'], usage: /lab compare A\.json B\.json/ },
    { args: ['export', '--help'], usage: /lab export RECORD\.json --format csv\|json/ },
  ];
  it.each(cases.map((c) => ({ ...c, command: `lab ${c.args.join(' ')}` })))(
    '$command: the usage on stdout, exit 0',
    ({ args, usage }) => {
      const result = lab(...args);
      expect(result.stdout).toMatch(/^usage:/);
      expect(result.stdout).toMatch(usage);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    },
  );
});

describe('lab: bad usage and bad parameters exit 2 with a message', () => {
  // Each case is a child process (about a second): the parameter ranges themselves are unit-tested in
  // src/shared/experiments.test.ts and --set parsing in set-values.test.ts.
  const cases: { args: string[]; message: RegExp }[] = [
    { args: ['run', 'optimizers-mnist', '--set', 'iterations=0'], message: /iterations.*allowed: 1 to 1000000/ },
    { args: ['run', 'optimizers-mnist', '--set', 'iteratoins=30'], message: /iteratoins/ },
    {
      args: ['run', 'optimizers-mnist', '--set', 'optimizers.Adamax.lr=1'],
      message: /bad parameter.*no item named Adamax/,
    },
    {
      args: ['run', 'optimizers-mnist', '--backend', 'cuda'],
      message: /unknown backend "cuda".*tensorflow \| wasm \| cpu/,
    },
    { args: ['run', 'optimizers-mnist', '--threads', '0'], message: /--threads must be a whole number >= 1, got "0"/ },
    { args: ['run', 'optimizers-mnist', '--iterations', '30'], message: /Unknown option '--iterations'[\s\S]*usage:/ },
    { args: ['compare', 'a.json', 'b.json', '--bogus'], message: /Unknown option '--bogus'[\s\S]*usage:/ },
    { args: ['export', 'a.json', '--bogus'], message: /Unknown option '--bogus'[\s\S]*usage:/ },
    { args: ['run', 'no-such-experiment'], message: /unknown experiment "no-such-experiment".*optimizers-mnist/ },
  ];
  it.each(cases.map((c) => ({ ...c, command: `lab ${c.args.join(' ')}` })))('$command', ({ args, message }) => {
    const result = lab(...args);
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(2);
  });
});
