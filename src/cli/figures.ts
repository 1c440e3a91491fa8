import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Resvg } from '@resvg/resvg-js';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { BACKEND_NAMES } from '../shared/backends';
import type { ChartDefinition } from '../shared/charts';
import { FIGURE_MODULES } from '../shared/charts/echarts-modules';
import type { ProgressEvent } from '../shared/events';
import {
  EXPERIMENT_IDS,
  type ExperimentId,
  ParamError,
  defaultParams,
  figuresFor,
  isExperimentId,
  parseParams,
  slotOf,
  typedParams,
} from '../shared/experiments';
import { upgradeRunRecord } from '../shared/record-upgrade';
import type { RunRecord } from '../shared/runs';
import { SetError, applySet } from '../shared/set-values';
import { ProgressLine } from './progress-line';

/**
 * `lab figures`: every experiment at the book's defaults (or run records read back with --from), each
 * figure written as a PNG without any window: the same chart definitions as the app (figures.ts),
 * rendered by ECharts' server-side SVG renderer and turned into a PNG (2x, on white) by resvg; plus the
 * run records as JSON.
 */

use([...FIGURE_MODULES, SVGRenderer]);

export const FIGURES_USAGE = `usage:
  lab figures --out DIR [--from DIR] [--only id,id,...] [--data DIR] [--backend ${BACKEND_NAMES.join('|')}]
              [--set-<experiment> key=value ...] [--quiet] [--help]
  Runs each experiment at the book's defaults (--set-<experiment> changes one of its parameters, e.g.
  --set-batch-norm epochs=5), or reads <experiment>.json run records from --from instead of running,
  and writes <experiment>.json plus <experiment>-<chart>.png for every figure into --out.
  Progress goes to stderr, per experiment ("batch-norm 3/8: 45% ..."); --quiet prints none.`;

/** Folders that hold font files, for resvg (it reads no fontconfig). */
export function fontDirs(): string[] {
  const candidates = [
    '/usr/share/fonts',
    '/usr/local/share/fonts',
    path.join(os.homedir(), '.fonts'),
    path.join(os.homedir(), '.local/share/fonts'),
  ];
  return candidates.filter((dir) => existsSync(dir));
}

const hasFont = (dir: string, name: string): boolean => {
  try {
    return readdirSync(dir, { recursive: true }).some((file) => String(file).endsWith(name));
  } catch {
    return false;
  }
};

let fontChoice: { dirs: string[]; family: string | undefined } | null = null;

/**
 * The font folders and the sans-serif family to draw text with: Liberation Sans (the widths ECharts
 * assumes when it lays text out without a canvas are Arial's, and Liberation Sans has Arial's metrics),
 * else DejaVu Sans (a little wider).
 */
export function fonts(): { dirs: string[]; family: string | undefined } {
  if (fontChoice) return fontChoice;
  const dirs = fontDirs();
  const family = dirs.some((d) => hasFont(d, 'LiberationSans-Regular.ttf'))
    ? 'Liberation Sans'
    : dirs.some((d) => hasFont(d, 'DejaVuSans.ttf'))
      ? 'DejaVu Sans'
      : undefined;
  return (fontChoice = { dirs, family });
}

/** One chart as SVG text, by ECharts' server-side renderer. */
export function renderSvg(chart: Pick<ChartDefinition, 'option' | 'width' | 'height'>): string {
  const instance = init(null, undefined, { renderer: 'svg', ssr: true, width: chart.width, height: chart.height });
  try {
    instance.setOption(chart.option);
    return instance.renderToSVGString();
  } finally {
    instance.dispose();
  }
}

/** One chart as a PNG at `scale` times its size, on white. */
export function renderPng(chart: Pick<ChartDefinition, 'option' | 'width' | 'height'>, scale = 2): Buffer {
  const { dirs, family } = fonts();
  const resvg = new Resvg(renderSvg(chart), {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: {
      loadSystemFonts: dirs.length === 0,
      fontDirs: dirs,
      ...(family ? { defaultFontFamily: family, sansSerifFamily: family } : {}),
    },
  });
  return resvg.render().asPng();
}

/** The figures of a run record as static images: titles drawn in, no tooltips or controls. */
export function recordFigures(record: RunRecord): ChartDefinition[] {
  return figuresFor(
    {
      experiment: record.experiment,
      series: record.series,
      summary: record.summary,
      params: record.params,
      status: record.status,
    },
    { interactive: false, embedTitle: true },
  );
}

/** Writes the record's figures as PNGs into `dir`; returns the files written. */
export function writeFigures(record: RunRecord, dir: string): string[] {
  const files: string[] = [];
  for (const chart of recordFigures(record)) {
    const base = chart.key.startsWith(record.experiment) ? chart.key : `${record.experiment}-${chart.key}`;
    const file = path.join(dir, `${base}.png`);
    writeFileSync(file, renderPng(chart));
    files.push(file);
  }
  if (!isExperimentId(record.experiment)) return files;
  const slot = slotOf(record.experiment);
  for (const { suffix, lines } of slot.textFigures(record, typedParams(record.experiment, record.params))) {
    const file = path.join(dir, `${record.experiment}-${suffix}.txt`);
    writeFileSync(file, lines.join('\n') + '\n');
    files.push(file);
  }
  return files;
}

function parseFigureArgs(args: string[]) {
  const setOptions = Object.fromEntries(
    EXPERIMENT_IDS.map((id) => [`set-${id}`, { type: 'string' as const, multiple: true as const, default: [] }]),
  );
  return parseArgs({
    args,
    allowPositionals: false,
    options: {
      out: { type: 'string' },
      from: { type: 'string' },
      only: { type: 'string' },
      data: { type: 'string' },
      backend: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      ...setOptions,
    },
  });
}

async function runRecord(
  id: ExperimentId,
  sets: string[],
  options: { data?: string; backend?: string; say: (line: string) => void; progress: ProgressLine | null },
): Promise<RunRecord> {
  const params: Record<string, unknown> = structuredClone(defaultParams(id));
  for (const assignment of sets) applySet(params, assignment);
  parseParams(id, params); // a bad parameter fails here, before the engine loads
  // The engine loads only when something is run (a --from rendering needs no tfjs).
  const [{ runExperiment }, { parseBackendName }] = await Promise.all([
    import('../engine/runner'),
    import('../engine/backend'),
  ]);
  return runExperiment(id, params, {
    dataDir: options.data,
    backend: options.backend ? parseBackendName(options.backend) : undefined,
    onEvent: (event: ProgressEvent) => {
      if (event.type === 'started') {
        options.say(`${id} on the ${event.backend} backend, ${event.totalSteps} steps`);
        options.progress?.start(event.totalSteps);
      }
      if (event.type === 'progress') options.progress?.update(event.step, event.totalSteps);
    },
  });
}

export async function figuresCommand(args: string[]): Promise<number> {
  let values: ReturnType<typeof parseFigureArgs>['values'];
  try {
    values = parseFigureArgs(args).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${FIGURES_USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(FIGURES_USAGE);
    return 0;
  }
  if (!values.out) {
    console.error(`--out DIR is required\n${FIGURES_USAGE}`);
    return 2;
  }
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...EXPERIMENT_IDS];
  const unknown = only.filter((id) => !(EXPERIMENT_IDS as string[]).includes(id));
  if (unknown.length > 0) {
    console.error(`unknown experiment "${unknown.join(', ')}" (one of: ${EXPERIMENT_IDS.join(', ')})`);
    return 2;
  }
  if (values.backend && !(BACKEND_NAMES as readonly string[]).includes(values.backend)) {
    console.error(`--backend must be one of ${BACKEND_NAMES.join(', ')}, got "${values.backend}"`);
    return 2;
  }
  let progress: ProgressLine | null = null;
  const say = values.quiet
    ? () => {}
    : (line: string) => {
        progress?.clear();
        console.log(line);
      };
  mkdirSync(values.out, { recursive: true });
  if (fonts().family === undefined)
    console.error(
      'warning: no Liberation Sans or DejaVu Sans font found (Debian: fonts-liberation, fonts-dejavu-core): text may be missing from the PNGs',
    );

  let failed = 0;
  for (const [index, id] of (only as ExperimentId[]).entries()) {
    let record: RunRecord;
    progress = values.quiet ? null : new ProgressLine(process.stderr, { label: `${id} ${index + 1}/${only.length}` });
    const started = Date.now();
    try {
      if (values.from) {
        const file = path.join(values.from, `${id}.json`);
        if (!existsSync(file)) {
          say(`${id}: no ${file}, skipped`);
          continue;
        }
        record = upgradeRunRecord(JSON.parse(readFileSync(file, 'utf8')));
      } else {
        const sets = (values as Record<string, unknown>)[`set-${id}`] as string[];
        record = await runRecord(id, sets, { data: values.data, backend: values.backend, say, progress });
      }
    } catch (error) {
      progress?.done();
      if (error instanceof SetError || error instanceof ParamError) {
        console.error(`bad parameter for ${id}: ${error.message}`);
        return 2;
      }
      throw error;
    }
    progress?.done();
    const recordFile = path.join(values.out, `${id}.json`);
    if (!values.from || path.resolve(values.from) !== path.resolve(values.out))
      writeFileSync(recordFile, JSON.stringify(record, null, 1) + '\n');
    const files = writeFigures(record, values.out);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const how = values.from ? `${record.status} run read and drawn` : record.status;
    say(`${id}: ${how} in ${seconds} s; ${files.map((f) => path.basename(f)).join(', ')}`);
    if (record.status === 'failed') {
      console.error(`${id} failed: ${record.error}`);
      failed++;
    }
  }
  return failed > 0 ? 1 : 0;
}
