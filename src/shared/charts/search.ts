import type { ScatterSeriesOption } from 'echarts/charts';
import { alsoSuffix, bestTrialLine, pythonFloat } from '../book-format';
import { type SearchedValues, searchedValuesOf } from '../searchable';
import type { Series } from '../runs';
import { type AccuracyPanel, TEST_COLOR, TRAIN_COLOR, lastY } from './accuracy';
import { type FigureOption, figureTitle } from './panels';
import { type Translate, escapeHtml, shortNumber } from './text';

/**
 * Fig. 6-24, the hyper-parameter search: trials ranked by validation accuracy (the book's table
 * "Best-k (val acc:…) | lr:…, weight decay:…"), a log-log scatter of learning rate × weight decay
 * coloured by validation accuracy (brush a rectangle on it to search again inside), and the best
 * trials' curves in a grid.
 */

export interface TrialRow {
  trial: number;
  lr?: number;
  weightDecay?: number;
  validationAccuracy?: number;
  trainAccuracy?: number;
  /** Epochs trained so far: the last epoch its validation accuracy was measured after (0: only before training). */
  epochs: number;
  /** The epoch its loss became NaN or infinite (the trial stopped there; its accuracies are its last). */
  divergedAt?: number;
  validation?: Series;
  train?: Series;
  /** What else it searched (`searchAlso`), from its series' keys. */
  also?: SearchedValues;
  /** The epoch after which median pruning stopped it (once the run has ended). */
  prunedAt?: number;
  /** The queue worker that trained it (a search on a queue, once it has ended). */
  worker?: string;
}

interface SummaryTrial {
  trial: number;
  lr?: number;
  weightDecay?: number;
  validationAccuracy?: number;
  trainAccuracy?: number;
  worker?: string;
  prunedAt?: number;
}

function summaryTrials(summary: Record<string, unknown> | null | undefined): SummaryTrial[] {
  const list = summary?.trials;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (t): t is SummaryTrial => !!t && typeof t === 'object' && typeof (t as SummaryTrial).trial === 'number',
  );
}

/**
 * Every trial known so far, best validation accuracy first: each series' key names its trial, its
 * split and the trial's sampled lr and weight decay; accuracies are a trial's last points (the
 * summary's, once the run has ended).
 */
export function trialRows(series: readonly Series[], summary?: Record<string, unknown> | null): TrialRow[] {
  const rows = new Map<number, TrialRow>();
  const row = (trial: number) => {
    let r = rows.get(trial);
    if (!r) rows.set(trial, (r = { trial, epochs: 0 }));
    return r;
  };
  for (const s of series) {
    const { trial, split, lr, weightDecay } = s.key;
    if (trial === undefined) continue;
    const r = row(trial);
    if (lr !== undefined) r.lr = lr;
    if (weightDecay !== undefined) r.weightDecay = weightDecay;
    const also = searchedValuesOf(s.key);
    if (also) r.also = also;
    if (s.divergedAt !== undefined) r.divergedAt = Math.min(r.divergedAt ?? Infinity, s.divergedAt);
    if (split === 'validation') {
      r.validation = s;
      r.validationAccuracy = lastY(s);
      r.epochs = Math.max(r.epochs, s.x.at(-1) ?? 0);
    } else if (split === 'train') {
      r.train = s;
      r.trainAccuracy = lastY(s);
    }
  }
  for (const t of summaryTrials(summary)) {
    const r = row(t.trial);
    for (const key of ['lr', 'weightDecay', 'validationAccuracy', 'trainAccuracy'] as const)
      if (typeof t[key] === 'number') r[key] = t[key];
    if (typeof t.worker === 'string') r.worker = t.worker;
    if (typeof t.prunedAt === 'number') r.prunedAt = t.prunedAt;
  }
  // As the engine's summary ranks them: pruned trials after those that ran their epochs, diverged ones last.
  const stopped = (r: TrialRow) => (r.divergedAt !== undefined ? 2 : r.prunedAt !== undefined ? 1 : 0);
  return [...rows.values()].sort(
    (a, b) =>
      stopped(a) - stopped(b) || (b.validationAccuracy ?? -1) - (a.validationAccuracy ?? -1) || a.trial - b.trial,
  );
}

/**
 * The book's line for the trial ranked `rank` (1-based), as the engine's table has it; "–" for what is not
 * known yet.
 */
export function bookTrialLine(rank: number, row: TrialRow): string {
  if (row.validationAccuracy !== undefined && row.lr !== undefined && row.weightDecay !== undefined) {
    return bestTrialLine(rank, {
      validationAccuracy: row.validationAccuracy,
      lr: row.lr,
      weightDecay: row.weightDecay,
      ...(row.also ? { also: row.also } : {}),
    });
  }
  const show = (v: number | undefined) => (v === undefined ? '–' : pythonFloat(v));
  return `Best-${rank}(val acc:${show(row.validationAccuracy)}) | lr:${show(row.lr)}, weight decay:${show(row.weightDecay)}${alsoSuffix(row.also)}`;
}

/** The best `count` trials as panels (Best-1 first): validation solid, train dashed. */
export function bestTrialPanels(rows: readonly TrialRow[], count: number, t: Translate): AccuracyPanel[] {
  return rows.slice(0, count).map((row, i) => ({
    title: t('search.rank', { k: i + 1 }),
    curves: [
      { series: row.validation, name: t('search.validation'), color: TRAIN_COLOR },
      { series: row.train, name: t('search.train'), color: TEST_COLOR, dashed: true },
    ],
  }));
}

export interface Range {
  min: number;
  max: number;
}

export interface ScatterOptions {
  t: Translate;
  title?: string;
  interactive?: boolean;
  /** The searched ranges (the frame of the plot); default: the trials' own. */
  lr?: Range;
  weightDecay?: Range;
}

/** log10 range padded to whole decades around the values. */
function decades(values: number[], given: Range | undefined): Range {
  if (given && given.min > 0 && given.max > given.min) return given;
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return { min: 1e-8, max: 1 };
  return {
    min: 10 ** Math.floor(Math.log10(Math.min(...positive))),
    max: 10 ** Math.ceil(Math.log10(Math.max(...positive)) + 1e-9),
  };
}

/** A base-10 log axis over a range, its name in the middle. */
function logAxis(name: string, range: Range, nameGap: number) {
  return {
    type: 'log' as const,
    logBase: 10,
    min: range.min,
    max: range.max,
    name,
    nameLocation: 'middle' as const,
    nameGap,
    splitLine: { lineStyle: { color: '#eef0f3' } },
    axisLabel: { formatter: (v: number) => shortNumber(v, 1) },
  };
}

export function searchScatterOption(rows: readonly TrialRow[], options: ScatterOptions): FigureOption {
  const interactive = options.interactive ?? true;
  const t = options.t;
  // A trial shows once it has a validation accuracy (a waiting trial would look like a failed one).
  const known = rows.filter(
    (r) =>
      r.lr !== undefined &&
      r.weightDecay !== undefined &&
      r.lr > 0 &&
      r.weightDecay > 0 &&
      r.validationAccuracy !== undefined,
  );
  const lr = decades(
    known.map((r) => r.lr!),
    options.lr,
  );
  const wd = decades(
    known.map((r) => r.weightDecay!),
    options.weightDecay,
  );
  const rank = new Map(rows.map((r, i) => [r.trial, i + 1]));
  const point = (r: TrialRow) => [r.lr!, r.weightDecay!, r.validationAccuracy!, r.trial];
  const scatter: ScatterSeriesOption = {
    type: 'scatter',
    id: 'trials',
    name: t('search.valAcc'),
    data: known.filter((r) => r.divergedAt === undefined).map(point),
    symbolSize: 10,
    itemStyle: { borderColor: '#333', borderWidth: 0.6, opacity: 0.9 },
    emphasis: { scale: 1.6 },
  };
  // A trial that diverged is a cross where it was sampled, outside the colour scale: its accuracy is not a result.
  const divergedTrials = known.filter((r) => r.divergedAt !== undefined);
  const crosses: ScatterSeriesOption[] =
    divergedTrials.length === 0
      ? []
      : [
          {
            type: 'scatter',
            id: 'diverged-trials',
            name: t('search.diverged'),
            data: divergedTrials.map(point),
            symbol: 'path://M0,0 L10,10 M10,0 L0,10',
            symbolSize: 9,
            itemStyle: { color: 'none', borderColor: '#b42318', borderWidth: 1.6 },
          },
        ];
  const divergedAt = new Map(divergedTrials.map((r) => [r.trial, r.divergedAt!]));
  const top = options.title ? 56 : 28;
  const option: FigureOption = {
    animation: false,
    backgroundColor: 'transparent',
    title: figureTitle(options.title),
    grid: { left: 78, right: 96, top, bottom: 52, containLabel: false },
    xAxis: logAxis(t('search.lr'), lr, 28),
    yAxis: logAxis(t('search.weightDecay'), wd, 56),
    visualMap: {
      type: 'continuous',
      dimension: 2,
      seriesIndex: 0,
      min: 0,
      max: 1,
      precision: 2,
      calculable: interactive,
      right: 8,
      top: 'middle',
      itemHeight: 180,
      text: [t('search.valAcc'), ''],
      textGap: 8,
      textStyle: { fontSize: 11 },
      inRange: { color: ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'] },
    },
    series: [scatter, ...crosses],
  };
  if (interactive) {
    option.tooltip = {
      trigger: 'item',
      confine: true,
      formatter: (params: unknown) => {
        const value = (params as { value?: number[] }).value;
        if (!value) return '';
        const [x, y, acc, trial] = value as [number, number, number, number];
        return `<div style="font-size:12px;line-height:1.5"><b>${escapeHtml(t('search.rank', { k: rank.get(trial) ?? '?' }))}</b> · ${escapeHtml(
          t('search.trial', { k: trial }),
        )}<br>${escapeHtml(t('search.lr'))} ${pythonFloat(x, 3)}<br>${escapeHtml(t('search.weightDecay'))} ${pythonFloat(y, 3)}<br>${escapeHtml(
          t('search.valAcc'),
        )} <b>${acc.toFixed(3)}</b>${
          divergedAt.has(trial) ? `<br>${escapeHtml(t('divergedEpoch', { at: divergedAt.get(trial) }))}` : ''
        }</div>`;
      },
    };
    option.brush = {
      xAxisIndex: 0,
      yAxisIndex: 0,
      brushType: 'rect',
      brushMode: 'single',
      throttleType: 'debounce',
      throttleDelay: 100,
      transformable: true,
      brushStyle: { borderWidth: 1, color: 'rgba(37,99,235,0.10)', borderColor: 'rgba(37,99,235,0.8)' },
      outOfBrush: { colorAlpha: 0.3 },
    };
  }
  return option;
}
