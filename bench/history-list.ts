/**
 * `npm run bench:history`: how long the history takes to list N runs (issue 9: 2,000 runs in well
 * under 300 ms in the app).
 *
 *   npm run bench:history -- [--runs N] [--reps N] [--keep]
 *
 * Generates N runs (default 2,000) in a temp folder, as the app stores them: one folder per run with a
 * record.json of optimizers-mnist's size (4 loss series x 2,000 iterations, ~200 kB), a few running
 * (a small record and a points.jsonl), a few damaged (torn JSON, wrong shape, no record.json), some
 * with notes and tags. Then times, each the median of --reps (default 7):
 *   rebuild: the index deleted, `new HistoryStore(dir).list()` (reads every record.json, writes the index)
 *   cold:    `new HistoryStore(dir).list()` with the index there (what the app does at start)
 *   warm:    `list()` again on the same store (every later History refresh)
 *   payload: JSON of the list, stringified and parsed again (what the WebSocket / ipc carry)
 *   updateMeta, create + finish: one change, with the whole index rewritten.
 * The files are in the OS page cache (just written): "cold" is a new store, not a cold disk.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore, INDEX_FILE } from '../src/services/history';
import { defaultParams } from '../src/shared/experiments';
import { RUN_RECORD_VERSION, type RunRecord } from '../src/shared/runs';
import { optimizerLossSeries, optimizersMnist } from '../src/shared/slots/optimizers-mnist';
import type { OptimizerName } from '../src/shared/optimizers';

const USAGE = 'usage: npm run bench:history -- [--runs N] [--reps N] [--keep] [--page]';
const OPTIMIZERS: OptimizerName[] = ['SGD', 'Momentum', 'AdaGrad', 'Adam'];
const ITERATIONS = 2000;

interface Options {
  runs: number;
  reps: number;
  keep: boolean;
  /** Also time the History page of the built app (web host + Chromium) over the generated runs. */
  page: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { runs: 2000, reps: 7, keep: false, page: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const whole = (): number => {
      const text = inline ?? argv[++i];
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1) fail(`${flag} needs a whole number >= 1, got "${text ?? ''}"`);
      return n;
    };
    if (flag === '--runs') options.runs = whole();
    else if (flag === '--reps') options.reps = whole();
    else if (flag === '--keep') options.keep = true;
    else if (flag === '--page') options.page = true;
    else fail(`unknown option ${flag}`);
  }
  return options;
}

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

/** A loss curve like the lab's: from ~2.3 down towards `floor`, with batch noise (seeded, cheap). */
function lossCurve(seed: number, floor: number): number[] {
  let state = seed * 2654435761;
  const noise = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  return Array.from({ length: ITERATIONS }, (_, i) => {
    const mean = floor + (2.3 - floor) * Math.exp(-i / 150);
    return Math.max(1e-4, mean * (1 + 0.3 * noise()));
  });
}

/** Twenty distinct finished records' series, reused across runs (parsing cost is what matters). */
const X = Array.from({ length: ITERATIONS }, (_, i) => i);
const VARIANTS = Array.from({ length: 20 }, (_, v) =>
  OPTIMIZERS.map((optimizer, k) => ({
    ...optimizerLossSeries(optimizer),
    x: X,
    y: lossCurve(v * 10 + k + 1, [0.25, 0.09, 0.06, 0.04][k]!),
  })),
);

function startedAt(i: number): string {
  return new Date(Date.UTC(2026, 0, 1) + i * 97_000).toISOString();
}

function finishedRecord(i: number): RunRecord {
  const series = VARIANTS[i % VARIANTS.length]!;
  const lr = [0.001, 0.01, 0.1][i % 3]!;
  const params = {
    ...defaultParams(optimizersMnist.id),
    optimizers: OPTIMIZERS.map((name) => ({ name, lr })),
    seed: (i % 50) + 1,
  };
  const status = i % 17 === 0 ? 'cancelled' : i % 29 === 0 ? 'diverged' : 'completed';
  return {
    formatVersion: RUN_RECORD_VERSION,
    id: `run-${i}`,
    experiment: optimizersMnist.id,
    params,
    seed: params.seed,
    backend: 'wasm',
    dataset: '/home/learner/.config/dlfs-lab/mnist',
    status,
    startedAt: startedAt(i),
    finishedAt: new Date(Date.parse(startedAt(i)) + 30_000).toISOString(),
    series,
    summary: Object.fromEntries(
      series.map((s) => [s.name, { finalLoss: s.y.at(-1), finalSmoothedLoss: s.y.at(-1), iterations: ITERATIONS }]),
    ),
    ...(i % 5 === 0
      ? {
          meta: {
            notes: `lr ${lr}: ${'Adam and AdaGrad settle first. '.repeat(1 + (i % 4))}`,
            tags: ['lr-sweep', `lr-${lr}`],
            starred: i % 10 === 0,
          },
        }
      : {}),
  };
}

/** Writes the runs as the app leaves them (without an index), straight to disk. */
function generate(dir: string, runs: number): { damaged: number; running: number; bytes: number } {
  let damaged = 0;
  let running = 0;
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const runDir = join(dir, `run-${String(i).padStart(5, '0')}`);
    mkdirSync(runDir);
    const record = join(runDir, 'record.json');
    if (i % 250 === 7) {
      damaged++;
      const kind = damaged % 3;
      if (kind === 0) writeFileSync(record, JSON.stringify(finishedRecord(i)).slice(0, 5000));
      else if (kind === 1) writeFileSync(record, JSON.stringify({ hello: 'not a record' }));
      // kind 2: no record.json at all
      continue;
    }
    if (i === runs - 1 || i % 500 === 3) {
      running++;
      const { series, summary: _s, finishedAt: _f, ...header } = finishedRecord(i);
      const text = JSON.stringify({ ...header, status: 'running', series: [], summary: {} });
      writeFileSync(record, text);
      const points = series.map((s) =>
        JSON.stringify({ series: s.name, metric: s.metric, key: s.key, x: s.x.slice(0, 300), y: s.y.slice(0, 300) }),
      );
      appendFileSync(join(runDir, 'points.jsonl'), points.join('\n') + '\n');
      bytes += text.length;
      continue;
    }
    const text = JSON.stringify(finishedRecord(i));
    writeFileSync(record, text);
    bytes += text.length;
  }
  return { damaged, running, bytes };
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const fmt = (ms: number): string => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // The app keeps its runs in <state>/runs.
  const state = mkdtempSync(join(tmpdir(), 'dlfs-history-bench-'));
  const dir = join(state, 'runs');
  mkdirSync(dir);
  try {
    console.log(`history list benchmark: ${options.runs} runs, median of ${options.reps}, ${cpus().length} cores`);
    const generated = time(() => generate(dir, options.runs));
    const { damaged, running, bytes } = generated.value;
    console.log(
      `generated in ${(generated.ms / 1000).toFixed(1)} s: ${(bytes / 1e6).toFixed(0)} MB of records, ` +
        `${running} running, ${damaged} damaged (${dir})`,
    );

    const rebuildReps = Math.max(1, Math.min(3, options.reps));
    const rebuild: number[] = [];
    let listed = 0;
    for (let r = 0; r < rebuildReps; r++) {
      rmSync(join(dir, INDEX_FILE), { force: true });
      const run = time(() => new HistoryStore(dir).list());
      rebuild.push(run.ms);
      listed = run.value.length;
    }

    const cold: number[] = [];
    const warm: number[] = [];
    let entries = new HistoryStore(dir).list();
    for (let r = 0; r < options.reps; r++) {
      const store = new HistoryStore(dir);
      const first = time(() => store.list());
      cold.push(first.ms);
      warm.push(time(() => store.list()).ms);
      entries = first.value;
    }
    const byStatus = new Map<string, number>();
    for (const e of entries) byStatus.set(e.status, (byStatus.get(e.status) ?? 0) + 1);
    if (entries.length !== options.runs || listed !== options.runs)
      throw new Error(`listed ${entries.length} runs, expected ${options.runs}`);

    const payload: number[] = [];
    let payloadBytes = 0;
    for (let r = 0; r < options.reps; r++) {
      payload.push(
        time(() => {
          const text = JSON.stringify(entries);
          payloadBytes = text.length;
          return JSON.parse(text) as unknown;
        }).ms,
      );
    }

    const store = new HistoryStore(dir);
    store.list();
    const target = entries.find((e) => e.status === 'completed')!.id;
    const meta: number[] = [];
    for (let r = 0; r < options.reps; r++)
      meta.push(time(() => store.updateMeta(target, { notes: `note ${r}`, tags: ['bench'], starred: r % 2 === 0 })).ms);
    const createFinish: number[] = [];
    for (let r = 0; r < options.reps; r++) {
      const record = finishedRecord(options.runs + r);
      const id = `bench-new-${r}`;
      createFinish.push(
        time(() => {
          store.create(id, { ...record, status: 'running', series: [], summary: {} });
          store.finish(id, record);
        }).ms,
      );
    }

    const indexSize = statSync(join(dir, INDEX_FILE)).size;
    console.log(`listed: ${[...byStatus].map(([s, n]) => `${n} ${s}`).join(', ')}`);
    console.log(`index.json: ${(indexSize / 1e6).toFixed(2)} MB; list as JSON: ${(payloadBytes / 1e6).toFixed(2)} MB`);
    console.log('');
    const rows: [string, number[]][] = [
      ['rebuild (no index, reads every record)', rebuild],
      ['cold list (new store, index present)', cold],
      ['warm list (same store again)', warm],
      ['list as JSON, stringify + parse', payload],
      ['updateMeta (record + index rewritten)', meta],
      ['create + finish (two index writes)', createFinish],
    ];
    for (const [label, values] of rows) {
      console.log(
        `${label.padEnd(42)} median ${fmt(median(values)).padStart(10)}   (min ${fmt(Math.min(...values))}, ` +
          `max ${fmt(Math.max(...values))}, n=${values.length})`,
      );
    }
    if (options.page) {
      const { timeHistoryPage } = await import('./history-page');
      const page = await timeHistoryPage(state, new HistoryStore(dir).list().length, options.reps);
      console.log(
        `${'History page in the app (first rows drawn)'.padEnd(42)} median ${fmt(median(page)).padStart(10)}   ` +
          `(min ${fmt(Math.min(...page))}, max ${fmt(Math.max(...page))}, n=${page.length})`,
      );
    }
  } finally {
    if (options.keep) console.log(`kept ${state}`);
    else rmSync(state, { recursive: true, force: true });
  }
}

await main();
