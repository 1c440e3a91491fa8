import type { RunInside } from '../shared/inside';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES } from '../shared/backends';
import {
  EXPERIMENTS,
  EXPERIMENT_IDS,
  type ExperimentId,
  ParamError,
  defaultParams,
  isExperimentId,
  parseParams,
  paramsJsonSchema,
} from '../shared/experiments';
import { workbench } from '../shared/slots/workbench';
import { PRESET_EXPERIMENTS, bookPreset, isPresetExperiment, workbenchPreset } from '../shared/workbench-presets';
import type { ProgressEvent } from '../shared/events';
import { parseBackendName } from '../engine/backend';
import { runExperiment } from '../engine/runner';
import { openTrialQueue } from '../engine/queue/open-trial-queue';
import { RecordFileError, insideFileFor, netsFileFor, readRecordFile } from './record-file';
import type { TrainedNets } from '../shared/trained-nets';
import { SetError, applySet } from '../shared/set-values';
import type { RunRecord } from '../shared/runs';
import { checkClaims, claimLine } from '../shared/run-claims';
import { describeParams } from './describe';
import { ProgressLine } from './progress-line';

/** Exit codes: 0 done, 1 the run failed, 2 bad usage or a bad parameter. */
const USAGE = `usage:
  lab list
  lab run <experiment> [--set key=value ...] [--data DIR] [--backend ${BACKEND_NAMES.join('|')}] [--seed N]
                       [--threads N] [--out FILE.json] [--quiet]   (progress on stderr; --quiet: none)
  lab run hyperparameter-search --queue redis://HOST:PORT [...]   its trials trained by lab workers
  lab worker --queue redis://HOST:PORT [--data DIR] [--backend NAME] [--name NAME]   trains queued trials
  lab run --from RECORD.json [--set key=value ...] [...]   a saved run again: its experiment, parameters, seed
  lab run workbench --from RECORD.json | --preset ${PRESET_EXPERIMENTS.join('|')} [--set ...]
                       a run of Fig. 6-9, 6-15, 6-20/21 or 6-23 (or the book's) as workbench variants to extend
  lab compare A.json B.json [...] [--all]
  lab export RECORD.json --format csv|json [--out FILE]
  lab export RECORD.json --format npz [--net LABEL] [--out FILE.npz]   a trained net, for the book's Python code
  lab final-test SEARCH.json [--trial K] [--data DIR]   step 4: the chosen trial on the test data, once
  lab figures --out DIR [--from DIR] [--only id,...] [--set-<experiment> key=value ...]  (lab figures --help)
  lab <command> --help   this usage (or the command's), on stdout`;

const isHelp = (args: string[]) => args.includes('--help') || args.includes('-h');

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command === 'list') {
    if (isHelp(rest)) {
      console.log('usage:\n  lab list   the experiments, their parameters, defaults and ranges');
      return 0;
    }
    return list();
  }
  if (command === 'run') return run(rest);
  if (command === 'figures') return (await import('./figures')).figuresCommand(rest);
  if (command === 'compare') return (await import('./compare')).compareCommand(rest);
  if (command === 'export') return (await import('./compare')).exportCommand(rest);
  if (command === 'final-test') return (await import('./final-test')).finalTestCommand(rest);
  if (command === 'worker') return (await import('./worker')).workerCommand(rest);
  console.error(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
  return 2;
}

function list(): number {
  for (const id of EXPERIMENT_IDS) {
    const { book, text } = EXPERIMENTS[id];
    console.log(`${id}  (${book.figure}) ${text.en.title}`);
    console.log(`  ${text.en.summary}`);
    for (const line of describeParams(paramsJsonSchema(id), defaultParams(id))) console.log(`    ${line}`);
    console.log('');
  }
  return 0;
}

function parseRunArgs(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      set: { type: 'string', multiple: true, default: [] },
      data: { type: 'string' },
      backend: { type: 'string' },
      seed: { type: 'string' },
      threads: { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      from: { type: 'string' },
      preset: { type: 'string' },
      queue: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

/**
 * The parameters a run starts from: a saved run's (with its seed), the workbench preset of a saved run
 * of a book comparison or of one at the book's defaults (`--preset`), else the book's defaults.
 */
function startingParams(
  id: ExperimentId,
  from: RunRecord | undefined,
  preset: string | undefined,
): Record<string, unknown> {
  if (from && from.experiment !== id && isPresetExperiment(from.experiment))
    return workbenchPreset(from.experiment, parseParams(from.experiment, { ...from.params, seed: from.seed }));
  if (from) return { ...from.params, seed: from.seed };
  if (preset !== undefined && isPresetExperiment(preset)) return bookPreset(preset);
  return defaultParams(id);
}

async function run(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseRunArgs>;
  try {
    parsed = parseRunArgs(args);
  } catch (error) {
    // An unknown option, a missing option value, ...: bad usage.
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let from: RunRecord | undefined;
  try {
    from = values.from === undefined ? undefined : readRecordFile(values.from);
  } catch (error) {
    if (!(error instanceof RecordFileError)) throw error;
    console.error(error.message);
    return 2;
  }
  const id = positionals[0] ?? from?.experiment;
  if (!id || !isExperimentId(id)) {
    console.error(`unknown experiment "${id ?? ''}" (one of: ${EXPERIMENT_IDS.join(', ')})`);
    return 2;
  }
  const opensInWorkbench = id === workbench.id && from !== undefined && isPresetExperiment(from.experiment);
  if (from && from.experiment !== id && !opensInWorkbench) {
    console.error(`${values.from} is a run of ${from.experiment}, not ${id}`);
    return 2;
  }
  if (values.preset !== undefined && (id !== workbench.id || !isPresetExperiment(values.preset) || from)) {
    console.error(`--preset takes one of ${PRESET_EXPERIMENTS.join(', ')}, with the workbench and without --from`);
    return 2;
  }
  // A saved run's parameters and seed (`--from`), else the book's defaults; --set and --seed change them.
  let params: Record<string, unknown>;
  try {
    params = structuredClone(startingParams(id, from, values.preset));
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    console.error(`${values.from}: its parameters do not validate:\n${error.message}`);
    return 2;
  }
  try {
    for (const assignment of values.set) applySet(params, assignment);
    if (values.seed !== undefined) applySet(params, `seed=${values.seed}`);
  } catch (error) {
    if (error instanceof SetError) {
      console.error(`bad parameter: ${error.message}`);
      return 2;
    }
    throw error;
  }
  let backend;
  try {
    backend = values.backend ? parseBackendName(values.backend) : undefined;
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const threads = values.threads !== undefined ? Number(values.threads) : undefined;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    console.error(`--threads must be a whole number >= 1, got "${values.threads}"`);
    return 2;
  }

  if (values.queue !== undefined && id !== 'hyperparameter-search') {
    console.error(`--queue takes the trials of hyperparameter-search, not a run of ${id}`);
    return 2;
  }
  let trialQueue;
  try {
    trialQueue = values.queue === undefined ? undefined : await openTrialQueue(values.queue);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }

  // The progress line (stderr) steps aside while a line goes to stdout, so a terminal shows both cleanly.
  const progress = values.quiet ? null : new ProgressLine(process.stderr, { label: id });
  const say = values.quiet
    ? () => {}
    : (line: string) => {
        progress?.clear();
        console.log(line);
      };
  let record;
  let nets: TrainedNets | null = null;
  let inside: RunInside | null = null;
  try {
    record = await runExperiment(id, params, {
      dataDir: values.data,
      backend,
      threads,
      ...(trialQueue ? { trialQueue } : {}),
      onEvent: (event: ProgressEvent) => {
        if (event.type === 'started') {
          say(`${id} on the ${event.backend} backend, ${event.totalSteps} steps`);
          progress?.start(event.totalSteps);
        }
        if (event.type === 'progress') {
          event.log.forEach((line) => say(line));
          progress?.update(event.step, event.totalSteps);
        }
        if (event.type === 'nets') nets = event.nets;
        if (event.type === 'inside') inside = event.inside;
      },
    });
  } catch (error) {
    progress?.done();
    if (error instanceof ParamError) {
      console.error(`bad parameter for ${id}:\n${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await trialQueue?.close();
  }
  progress?.done();
  if (values.out) writeFileSync(values.out, JSON.stringify(record, null, 1) + '\n');
  if (nets) reportNets(nets, values.out, say);
  if (inside) reportInside(inside, values.out, say);
  const seconds = (Date.parse(record.finishedAt!) - Date.parse(record.startedAt)) / 1000;
  say(`${record.status} in ${seconds.toFixed(1)} s${values.out ? `; run record written to ${values.out}` : ''}`);
  // The book's claims of the figure, checked on this run, with the numbers behind each verdict.
  for (const claim of checkClaims(record)) say(claimLine(claim));
  if (record.status === 'failed') {
    console.error(`run failed: ${record.error}`);
    return 1;
  }
  return 0;
}

/** Each kept net's test accuracy (or why none was kept), and beside `--out` its nets file. */
function reportNets(nets: TrainedNets, out: string | undefined, say: (line: string) => void): void {
  for (const net of nets.nets)
    say(`net ${net.label}: test accuracy ${net.report ? net.report.testAccuracy.toFixed(4) : '-'}`);
  if (nets.notKept) say(nets.notKept);
  if (out && nets.nets.length > 0) {
    writeFileSync(netsFileFor(out), JSON.stringify(nets));
    say(`trained nets written to ${netsFileFor(out)} (lab export ${out} --format npz writes one for Python)`);
  }
}

/** What was recorded inside the nets (or why nothing was), and beside `--out` its file. */
function reportInside(inside: RunInside, out: string | undefined, say: (line: string) => void): void {
  const moments = inside.nets[0]?.moments.length ?? 0;
  if (inside.notRecorded) say(inside.notRecorded);
  else say(`recorded inside ${inside.nets.length} nets: ${moments} moments each, every ${inside.every} updates`);
  if (out && inside.nets.length > 0) {
    writeFileSync(insideFileFor(out), JSON.stringify(inside));
    say(`the recording inside the nets written to ${insideFileFor(out)}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
