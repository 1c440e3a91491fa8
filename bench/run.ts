/**
 * `npm run bench`: the lab's command line against the project's own NumPy float32 twin, side by side.
 *
 *   npm run bench -- [--runs N] [--iterations N] [--backend NAME] [--workload ID[,ID...]]
 *                    [--skip-lab] [--skip-numpy] [--profile]
 *
 * For every workload it times, as whole processes (start-up and data load included):
 *   lab:   node --import tsx src/cli/index.ts run <id> --out <tmp.json> --quiet [--set iterations=N] [--backend NAME]
 *   numpy: python3 <numpyScript> [--iterations N]
 * With --runs > 1 the runs alternate (lab, numpy, lab, numpy, ...) and the table shows medians.
 * It reports each workload's wall time, steps per second, peak resident memory (the process's VmHWM,
 * read every 100 ms) and the lab/NumPy ratio, all from this sitting: no figure from another day.
 * --profile also splits the lab's training threads' time (src/engine/profile.ts): GEMM kernels, other
 * kernels, the JavaScript around them, batches, optimizer updates and accuracy passes.
 *
 * To add an experiment, add an entry to WORKLOADS.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROFILE_ENV, type ThreadProfile } from '../src/engine/profile';
import { type ExperimentId, defaultParams } from '../src/shared/experiments';
import { printProfileSplit, readThreadProfiles } from './profile-split';
import { batchNorm } from '../src/shared/slots/batch-norm';
import { dropout } from '../src/shared/slots/dropout';
import { hyperparameterSearch } from '../src/shared/slots/hyperparameter-search';
import { initMnist } from '../src/shared/slots/init-mnist';
import { optimizersMnist } from '../src/shared/slots/optimizers-mnist';
import { weightDecay } from '../src/shared/slots/weight-decay';
import { workbench } from '../src/shared/slots/workbench';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The issue's target for every workload, measured side by side in one sitting. */
const TARGET_RATIO = 1.5;

interface Workload {
  /** The experiment the lab runs (`lab run <id>`); also the row label unless `name` gives one. */
  id: ExperimentId;
  name?: string;
  /** More arguments of `lab run` (the workbench's `--preset`). */
  labArgs?: string[];
  /** The workload that trains the very same nets: its lab time is compared with this one's. */
  sameWorkAs?: string;
  /** The most this workload's lab time may be of sameWorkAs's (issue #18: the Fig. 6-9 preset within 5 %; #19). */
  sameWorkTarget?: number;
  /** Path (from the project root) of the NumPy twin; it must print one JSON line (see NumpyResult). */
  numpyScript?: string;
  /** Nets (or other units) trained per iteration: ms/step = wall / (iterations * stepsPerIteration). */
  stepsPerIteration: number;
  /** The lab parameter that holds the iteration count; its default is the experiment's (the book's). */
  iterationsParam: 'iterations' | 'epochs';
}

const WORKLOADS: Workload[] = [
  {
    id: optimizersMnist.id,
    numpyScript: 'bench/numpy/optimizers_mnist.py',
    stepsPerIteration: 4,
    iterationsParam: 'iterations',
  },
  { id: initMnist.id, numpyScript: 'bench/numpy/init_mnist.py', stepsPerIteration: 3, iterationsParam: 'iterations' },
  { id: batchNorm.id, numpyScript: 'bench/numpy/batch_norm.py', stepsPerIteration: 320, iterationsParam: 'epochs' },
  { id: weightDecay.id, numpyScript: 'bench/numpy/weight_decay.py', stepsPerIteration: 6, iterationsParam: 'epochs' },
  { id: dropout.id, numpyScript: 'bench/numpy/dropout.py', stepsPerIteration: 6, iterationsParam: 'epochs' },
  {
    id: hyperparameterSearch.id,
    numpyScript: 'bench/numpy/hyperparameter_search.py',
    stepsPerIteration: 400,
    iterationsParam: 'epochs',
  },
  {
    id: workbench.id,
    name: 'workbench-fig-6-9',
    labArgs: ['--preset', optimizersMnist.id],
    numpyScript: 'bench/numpy/optimizers_mnist.py',
    stepsPerIteration: 4,
    iterationsParam: 'iterations',
    sameWorkAs: optimizersMnist.id,
    sameWorkTarget: 1.05,
  },
  {
    // Issue #19: recording inside the 32 nets (every 10 updates: 21 moments each) costs at most 10 %.
    id: batchNorm.id,
    name: 'batch-norm-inside',
    labArgs: ['--set', 'insideEvery=10'],
    stepsPerIteration: 320,
    iterationsParam: 'epochs',
    sameWorkAs: batchNorm.id,
    sameWorkTarget: 1.1,
  },
];

const nameOf = (workload: Workload): string => workload.name ?? workload.id;

/** The experiment's default iteration (or epoch) count: the book's. */
function defaultIterations(workload: Workload): number {
  const value = (defaultParams(workload.id) as Record<string, unknown>)[workload.iterationsParam];
  if (typeof value !== 'number') throw new Error(`${workload.id} has no numeric parameter ${workload.iterationsParam}`);
  return value;
}

/** The one JSON line a NumPy twin prints. */
interface NumpyResult {
  seconds: number;
  totalSeconds: number;
  steps: number;
  finalLoss?: Record<string, number>;
}

/** The fields of the lab's run record the bench reads. */
interface RunRecord {
  experiment?: string;
  params?: Record<string, unknown>;
  backend?: string;
  status?: string;
  error?: string;
  startedAt?: string;
  finishedAt?: string;
  series?: { name: string; metric?: string; x?: number[]; y?: number[] }[];
  summary?: Record<string, unknown>;
}

interface Options {
  runs: number;
  iterations?: number;
  backend?: string;
  workloads: Workload[];
  skipLab: boolean;
  skipNumpy: boolean;
  profile: boolean;
}

interface ProcessResult {
  wallSeconds: number;
  /** Peak resident memory (VmHWM) in MiB, as last read while the process ran. */
  peakMiB?: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

interface LabRun {
  wallSeconds: number;
  peakMiB?: number;
  profile?: ThreadProfile[];
  record?: RunRecord;
  error?: string;
}

interface NumpyRun {
  wallSeconds: number;
  peakMiB?: number;
  result?: NumpyResult;
  error?: string;
}

const USAGE =
  'usage: npm run bench -- [--runs N] [--iterations N] [--backend NAME] [--workload ID[,ID...]] [--skip-lab] [--skip-numpy] [--profile]';

function parseOptions(argv: string[]): Options {
  const options: Options = { runs: 1, workloads: WORKLOADS, skipLab: false, skipNumpy: false, profile: false };
  const wholeNumber = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 1)
      fail(`${flag} needs a whole number >= 1, got "${value ?? ''}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--runs':
        options.runs = wholeNumber(flag, value());
        break;
      case '--iterations':
        options.iterations = wholeNumber(flag, value());
        break;
      case '--backend': {
        const name = value();
        if (!name) fail('--backend needs a name');
        options.backend = name;
        break;
      }
      case '--workload': {
        const ids = (value() ?? '').split(',').filter(Boolean);
        const unknown = ids.filter((id) => !WORKLOADS.some((w) => nameOf(w) === id));
        if (ids.length === 0 || unknown.length > 0)
          fail(`unknown workload "${unknown.join(',')}" (one of: ${WORKLOADS.map(nameOf).join(', ')})`);
        options.workloads = WORKLOADS.filter((w) => ids.includes(nameOf(w)));
        break;
      }
      case '--skip-lab':
        options.skipLab = true;
        break;
      case '--skip-numpy':
        options.skipNumpy = true;
        break;
      case '--profile':
        options.profile = true;
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
      default:
        fail(`unknown argument "${arg}"\n${USAGE}`);
    }
  }
  return options;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** Runs a command to completion, timing the whole process and reading its peak memory as it runs. */
function timeProcess(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ProcessResult> {
  return new Promise((resolvePromise) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let peakMiB: number | undefined;
    const readPeak = (): void => {
      const kib = child.pid === undefined ? undefined : peakKiB(child.pid);
      if (kib !== undefined) peakMiB = kib / 1024;
    };
    const sampler = setInterval(readPeak, 100);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const done = (code: number | null, extra = ''): void => {
      clearInterval(sampler);
      resolvePromise({
        wallSeconds: Number(process.hrtime.bigint() - started) / 1e9,
        ...(peakMiB === undefined ? {} : { peakMiB }),
        code,
        stdout,
        stderr: stderr + extra,
      });
    };
    child.on('error', (error) => done(null, `\n${error.message}`));
    child.on('close', (code) => done(code));
  });
}

/** A running process's peak resident memory (VmHWM in /proc, Linux) in KiB; undefined where unreadable. */
function peakKiB(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** A finished process's wall time and, where it could be read, its peak memory. */
function timings(run: ProcessResult): { wallSeconds: number; peakMiB?: number } {
  return { wallSeconds: run.wallSeconds, ...(run.peakMiB === undefined ? {} : { peakMiB: run.peakMiB }) };
}

function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

async function runLab(workload: Workload, options: Options, tmp: string, index: number): Promise<LabRun> {
  const out = join(tmp, `${nameOf(workload)}-${index}.json`);
  const args = ['--import', 'tsx', 'src/cli/index.ts', 'run', workload.id, ...(workload.labArgs ?? [])];
  args.push('--out', out, '--quiet');
  if (options.iterations !== undefined) args.push('--set', `${workload.iterationsParam}=${options.iterations}`);
  if (options.backend !== undefined) args.push('--backend', options.backend);
  const profileFile = join(tmp, `${nameOf(workload)}-${index}.profile.jsonl`);
  const env = options.profile ? { ...process.env, [PROFILE_ENV]: profileFile } : process.env;
  const run = await timeProcess(process.execPath, args, env);
  const measured = timings(run);
  let record: RunRecord | undefined;
  try {
    record = JSON.parse(readFileSync(out, 'utf8')) as RunRecord;
  } catch {
    // no (readable) run record: reported below
  }
  if (run.code !== 0 || record === undefined) {
    const why = record?.error ?? (tail(run.stderr) || tail(run.stdout) || 'no run record written');
    return { ...measured, ...(record ? { record } : {}), error: `exit code ${run.code}: ${why}` };
  }
  if (record.status === 'failed') return { ...measured, record, error: `run failed: ${record.error ?? ''}` };
  return { ...measured, record, ...(options.profile ? { profile: readThreadProfiles(profileFile) } : {}) };
}

async function runNumpy(script: string, options: Options): Promise<NumpyRun> {
  const args = [script];
  if (options.iterations !== undefined) args.push('--iterations', String(options.iterations));
  const run = await timeProcess('python3', args);
  const measured = timings(run);
  if (run.code !== 0) return { ...measured, error: `exit code ${run.code}: ${tail(run.stderr) || tail(run.stdout)}` };
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return { ...measured, result: JSON.parse(line) as NumpyResult };
  } catch {
    return { ...measured, error: `no JSON line on stdout: ${tail(run.stdout)}` };
  }
}

function numpyAvailable(): boolean {
  const check = spawnSync('python3', ['-c', 'import numpy'], { cwd: ROOT, stdio: 'ignore' });
  return check.status === 0;
}

/** How many series' final values a workload's details line shows. */
const FINAL_VALUES_SHOWN = 8;

const peaks = (runs: { peakMiB?: number }[]): number[] =>
  runs.flatMap((run) => (run.peakMiB === undefined ? [] : [run.peakMiB]));

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const fixed = (value: number | undefined, digits: number): string =>
  value === undefined ? '-' : value.toFixed(digits);

/** Final value of every series in a run record, by series name. */
function labFinalValues(record: RunRecord | undefined): Record<string, number> {
  const values: Record<string, number> = {};
  for (const series of record?.series ?? []) {
    const last = series.y?.at(-1);
    if (typeof last === 'number') values[series.name] = last;
  }
  return values;
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const withNumpy = !options.skipNumpy && numpyAvailable();
  if (!options.skipNumpy && !withNumpy)
    console.log('numpy is missing (python3 -c "import numpy" failed): the NumPy columns are left out');
  const withLab = !options.skipLab;

  console.log(
    `bench: ${options.runs} run(s) each, iterations ${options.iterations ?? 'default'}, backend ${options.backend ?? 'default'}; ` +
      `${cpus().length} CPU(s), load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );

  const tmp = mkdtempSync(join(tmpdir(), 'dlfs-bench-'));
  const rows: string[][] = [];
  const details: string[] = [];
  const splits: { workload: string; profiles: ThreadProfile[][] }[] = [];
  const labWalls = new Map<string, number>();
  let failures = 0;
  try {
    for (const workload of options.workloads) {
      const labRuns: LabRun[] = [];
      const numpyRuns: NumpyRun[] = [];
      const numpyScript = withNumpy ? workload.numpyScript : undefined;
      for (let r = 0; r < options.runs; r++) {
        if (withLab) {
          process.stdout.write(`  ${nameOf(workload)} lab run ${r + 1}/${options.runs} ... `);
          const run = await runLab(workload, options, tmp, r);
          labRuns.push(run);
          console.log(run.error ? `FAILED after ${run.wallSeconds.toFixed(2)} s` : `${run.wallSeconds.toFixed(2)} s`);
        }
        if (numpyScript) {
          process.stdout.write(`  ${nameOf(workload)} numpy run ${r + 1}/${options.runs} ... `);
          const run = await runNumpy(numpyScript, options);
          numpyRuns.push(run);
          console.log(run.error ? `FAILED after ${run.wallSeconds.toFixed(2)} s` : `${run.wallSeconds.toFixed(2)} s`);
        }
      }

      const labOk = labRuns.filter((run) => !run.error);
      const numpyOk = numpyRuns.filter((run) => !run.error);
      for (const run of [...labRuns, ...numpyRuns]) if (run.error) failures++;
      const lastRecord = labOk.at(-1)?.record ?? labRuns.at(-1)?.record;
      const recordIterations = lastRecord?.params?.[workload.iterationsParam];
      const iterations =
        options.iterations ?? (typeof recordIterations === 'number' ? recordIterations : defaultIterations(workload));
      const labSteps = iterations * workload.stepsPerIteration;
      const numpySteps = numpyOk.at(-1)?.result?.steps ?? labSteps;

      const labWall = median(labOk.map((run) => run.wallSeconds));
      const numpyWall = median(numpyOk.map((run) => run.wallSeconds));
      const stepsPerSecond = (steps: number, wall: number | undefined): string =>
        fixed(wall === undefined ? undefined : steps / wall, 0);
      if (labWall !== undefined) labWalls.set(nameOf(workload), labWall);
      const row = [
        nameOf(workload),
        withLab ? (lastRecord?.backend ?? '?') : '-',
        withLab ? (labWall === undefined ? 'failed' : fixed(labWall, 2)) : '-',
        stepsPerSecond(labSteps, labWall),
        fixed(median(peaks(labOk)), 0),
      ];
      if (withNumpy) {
        row.push(
          numpyScript ? (numpyWall === undefined ? 'failed' : fixed(numpyWall, 2)) : '-',
          stepsPerSecond(numpySteps, numpyWall),
          fixed(median(peaks(numpyOk)), 0),
          labWall !== undefined && numpyWall !== undefined ? `${(labWall / numpyWall).toFixed(2)}x` : '-',
        );
      }
      const profiles = labOk.flatMap((run) => (run.profile ? [run.profile] : []));
      if (profiles.length > 0) splits.push({ workload: nameOf(workload), profiles });
      rows.push(row);

      details.push(`${nameOf(workload)}: ${iterations} iterations x ${workload.stepsPerIteration} = ${labSteps} steps`);
      if (withLab) {
        details.push(
          `  lab wall s:   ${labRuns.map((run) => (run.error ? 'failed' : run.wallSeconds.toFixed(2))).join(', ')}`,
        );
        if (lastRecord) {
          const inRecord =
            lastRecord.startedAt && lastRecord.finishedAt
              ? ((Date.parse(lastRecord.finishedAt) - Date.parse(lastRecord.startedAt)) / 1000).toFixed(2)
              : '?';
          details.push(`  lab run record: status ${lastRecord.status ?? '?'}, startedAt..finishedAt ${inRecord} s`);
        }
        for (const run of labRuns) if (run.error) details.push(`  lab error: ${run.error}`);
      }
      if (numpyScript) {
        details.push(
          `  numpy wall s: ${numpyRuns.map((run) => (run.error ? 'failed' : run.wallSeconds.toFixed(2))).join(', ')}`,
        );
        const loops = numpyOk.map((run) => run.result?.seconds).filter((s): s is number => typeof s === 'number');
        if (loops.length > 0)
          details.push(`  numpy training loop only s: ${loops.map((s) => s.toFixed(2)).join(', ')}`);
        for (const run of numpyRuns) if (run.error) details.push(`  numpy error: ${run.error}`);
      }
      const labFinal = labFinalValues(lastRecord);
      const numpyFinal = numpyOk.at(-1)?.result?.finalLoss ?? {};
      const names = [...new Set([...Object.keys(labFinal), ...Object.keys(numpyFinal)])];
      if (names.length > 0) {
        const pair = (name: string): string => `${name} ${fixed(labFinal[name], 4)}/${fixed(numpyFinal[name], 4)}`;
        const more = names.length > FINAL_VALUES_SHOWN ? `, ... (${names.length} series)` : '';
        details.push(`  final values (lab/numpy): ${names.slice(0, FINAL_VALUES_SHOWN).map(pair).join(', ')}${more}`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  console.log('');
  const header = ['workload', 'backend', 'lab s', 'lab steps/s', 'lab peak MiB'];
  if (withNumpy) header.push('numpy s', 'numpy steps/s', 'numpy peak MiB', 'lab/numpy');
  printTable(header, rows);
  console.log('');
  console.log(
    `(${options.runs > 1 ? `median of ${options.runs} alternating runs; ` : ''}whole-process wall time, start-up and data load ` +
      `included; peak MiB: resident memory high-water mark; target lab/numpy <= ${TARGET_RATIO}, side by side in one sitting)`,
  );
  for (const workload of options.workloads) {
    const [own, other] = [labWalls.get(nameOf(workload)), workload.sameWorkAs && labWalls.get(workload.sameWorkAs)];
    if (own === undefined || !other) continue;
    console.log(
      `${nameOf(workload)} / ${workload.sameWorkAs} (the same nets and batches), lab time: ${(own / other).toFixed(3)}x` +
        ` (target <= ${workload.sameWorkTarget ?? 1})`,
    );
  }
  for (const split of splits) printProfileSplit(split.workload, split.profiles);
  console.log('');
  for (const line of details) console.log(line);
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
