import { beforeAll, describe, expect, it } from 'vitest';
import { type ChartDefinition, englishText, panelTitles } from '../shared/charts';
import { trialRows } from '../shared/charts/search';
import {
  EXPERIMENT_IDS,
  type ExperimentId,
  compareFiguresFor,
  figuresFor,
  parseParams,
  slotOf,
} from '../shared/experiments';
import { checkClaims } from '../shared/run-claims';
import type { RunRecord, Series } from '../shared/runs';
import { formatScale, weightScales } from '../shared/slots/batch-norm';
import { type BentRecord, awkwardRuns, bentRecords, runAwkward } from './awkward-records.test-helpers';
import { initBackend } from './backend';

/**
 * Every figure, summary and claim of every experiment on awkward records (awkward-records.test-helpers.ts):
 * the book's panels in the book's order with unique titles, every series drawn in one panel and visible
 * (a single point too), a diverged net marked where it stopped, no axis stretched to infinity, every
 * member in the summary, and no figure, key result or claim that throws.
 */

type Params<Id extends ExperimentId> = ReturnType<typeof parseParams<Id>>;

/**
 * The titles each panel figure must show, in order (by chart key); a chart not named, or an experiment
 * not listed: only the generic rules.
 */
const EXPECTED_PANELS: {
  [Id in ExperimentId]?: (params: Params<Id>, record: RunRecord) => Record<string, string[]>;
} = {
  'optimizer-paths': (params) => ({ 'paths-panels': params.optimizers.map((o) => o.name) }),
  'optimizers-mnist': () => ({}),
  'init-activations': (params, record) =>
    params.grid
      ? {}
      : Object.fromEntries(
          record.series.length > 0
            ? [
                [
                  `histograms-${params.activation}-${params.init}`.replace(/[^\w.-]+/g, '-'),
                  Array.from({ length: params.layers }, (_, k) => `layer ${k + 1}`),
                ],
              ]
            : [],
        ),
  'init-mnist': () => ({}),
  'batch-norm': (params) => ({
    'batch-norm-grid': weightScales(params.scales).map((s) => `W:${Number(s.toPrecision(3))}`),
  }),
  'weight-decay': (params) => ({
    accuracy: [
      englishText('gap.noDecay'),
      ...(params.lambda === 0 ? [] : [englishText('gap.decay', { lambda: String(params.lambda) })]),
    ],
  }),
  dropout: (params) => ({
    accuracy: [
      englishText('gap.noDropout'),
      ...(params.dropoutRatio === 0 ? [] : [englishText('gap.dropout', { ratio: String(params.dropoutRatio) })]),
    ],
  }),
  workbench: (params, record): Record<string, string[]> =>
    params.evaluation === 'none' || record.series.length === 0 ? {} : { accuracy: params.variants.map((v) => v.name) },
  'hyperparameter-search': (_params, record) => ({
    'search-best': trialRows(record.series, record.summary)
      .slice(0, 20)
      .map((_, i) => `Best-${i + 1}`),
  }),
};

/** The title of the panel a series belongs in (where a panel is one member or one setting; not listed: none). */
const PANEL_OF: { [Id in ExperimentId]?: (s: Series) => string | undefined } = {
  'optimizer-paths': (s) => s.name,
  'optimizers-mnist': () => undefined,
  'init-activations': (s) => (s.key.layer === undefined ? undefined : `layer ${s.key.layer}`),
  'init-mnist': () => undefined,
  'batch-norm': (s) => (s.key.scale === undefined ? undefined : `W:${Number(s.key.scale.toPrecision(3))}`),
  'weight-decay': (s) =>
    s.key.lambda === 0 ? englishText('gap.noDecay') : englishText('gap.decay', { lambda: String(s.key.lambda) }),
  dropout: (s) =>
    s.key.dropoutRatio === 0
      ? englishText('gap.noDropout')
      : englishText('gap.dropout', { ratio: String(s.key.dropoutRatio) }),
  'hyperparameter-search': () => undefined,
  workbench: (s) => (s.metric === 'loss' ? undefined : s.key.variant),
};

/**
 * The name under which a series is drawn, where that is not its own: the workbench draws each variant's
 * mean over its seeds (`Batch Norm · train`), never one seed's series (`Batch Norm · train · seed 2`).
 */
const DRAWN_AS: { [Id in ExperimentId]?: (s: Series) => string } = {
  workbench: (s) => s.name.replace(/ · seed \d+$/, ''),
};

/** The members missing from a run's summary (the engine's own records only; an experiment not listed: not checked). */
const SUMMARY_MEMBERS: { [Id in ExperimentId]?: (params: Params<Id>, record: RunRecord) => string[] } = {
  'optimizer-paths': (params, record) => {
    const final = (record.summary.final ?? {}) as Record<string, unknown>;
    return params.optimizers.map((o) => o.name).filter((name) => !(name in final));
  },
  'optimizers-mnist': (params, record) => params.optimizers.map((o) => o.name).filter((n) => !(n in record.summary)),
  'init-activations': (_params, record) => record.series.map((s) => s.name).filter((n) => !(n in record.summary)),
  'init-mnist': (_params, record) => record.series.map((s) => s.name).filter((n) => !(n in record.summary)),
  'batch-norm': (params, record) =>
    weightScales(params.scales)
      .map((s) => `std=${formatScale(s)}`)
      .filter((k) => !(k in record.summary)),
  'weight-decay': (params, record) =>
    [...new Set([0, params.lambda])].map((l) => `λ=${l}`).filter((k) => !(k in record.summary)),
  dropout: (params, record) =>
    [...new Set([0, params.dropoutRatio])]
      .map((r) => (r === 0 ? 'no dropout' : `dropout ${r}`))
      .filter((k) => !(k in record.summary)),
  workbench: (params, record) => params.variants.map((v) => v.name).filter((n) => !(n in record.summary)),
  'hyperparameter-search': (params, record) => {
    const trials = (record.summary.trials ?? []) as unknown[];
    return trials.length === params.trials ? [] : [`${params.trials - trials.length} trials`];
  },
};

interface OptionSeries {
  id?: string;
  type?: string;
  xAxisIndex?: number;
  data?: unknown[];
  showSymbol?: boolean;
  markPoint?: unknown;
}

const seriesOf = (chart: ChartDefinition): OptionSeries[] => {
  const series = (chart.option as { series?: OptionSeries | OptionSeries[] }).series;
  return Array.isArray(series) ? series : series ? [series] : [];
};

/** Whether an option series draws the record's series `name` (ids: `curve:3:<name>@3`, `hist:<name>`, `<name>:raw`). */
function draws(option: OptionSeries, name: string): boolean {
  const id = (option.id ?? '').replace(/@\d+$/, '');
  return id === name || id.endsWith(`:${name}`) || id.startsWith(`${name}:`);
}

const finitePoints = (data: unknown[] | undefined) =>
  (data ?? []).filter((d) => Array.isArray(d) && Number.isFinite(d[0]) && Number.isFinite(d[1])).length;

const hasFinite = (s: Series) => s.y.some((v) => Number.isFinite(v));

const gridCount = (chart: ChartDefinition): number => {
  const grid = (chart.option as { grid?: unknown }).grid;
  return Array.isArray(grid) ? grid.length : grid ? 1 : 0;
};

function axes(chart: ChartDefinition): Record<string, unknown>[] {
  const option = chart.option as { xAxis?: unknown; yAxis?: unknown };
  const list = (axis: unknown): unknown[] => (Array.isArray(axis) ? axis : axis ? [axis] : []);
  return [...list(option.xAxis), ...list(option.yAxis)] as Record<string, unknown>[];
}

function checkFigures(id: ExperimentId, { record, summaryMatches }: BentRecord): void {
  const charts = [true, false].flatMap((interactive) =>
    figuresFor({ ...record, draft: null }, { interactive }).map((chart) => ({ chart, interactive })),
  );
  const params = slotOf(id).params.safeParse(record.params);
  for (const { chart } of charts) {
    // Serialisable, and no axis bound that is not a finite number.
    expect(() => JSON.stringify(chart.option)).not.toThrow();
    for (const axis of axes(chart))
      for (const bound of ['min', 'max'] as const)
        if (typeof axis[bound] === 'number') expect(Number.isFinite(axis[bound]), `${chart.key} ${bound}`).toBe(true);

    const titles = panelTitles(chart.option);
    expect(new Set(titles).size, `${chart.key} panel titles unique: ${titles.join(', ')}`).toBe(titles.length);
    if (params.success) {
      const expected = (EXPECTED_PANELS[id] as ((p: unknown, r: RunRecord) => Record<string, string[]>) | undefined)?.(
        params.data,
        record,
      )[chart.key];
      if (expected) expect(titles, `${chart.key} panels`).toEqual(expected);
    }

    const options = seriesOf(chart);
    for (const s of record.series) {
      const drawn = options.filter((o) => draws(o, DRAWN_AS[id]?.(s) ?? s.name));
      // Each series in one panel only, the one titled for it.
      const panels = new Set(drawn.map((o) => o.xAxisIndex ?? 0));
      expect(panels.size, `${chart.key}: ${s.name}`).toBeLessThanOrEqual(1);
      const own = PANEL_OF[id]?.(s);
      if (own !== undefined && titles.length === gridCount(chart) && titles.length > 0)
        for (const panel of panels) expect(titles[panel], `${chart.key}: the panel of ${s.name}`).toBe(own);
      for (const o of drawn) {
        // A single point is drawn as a point, never as an invisible line of one point.
        if (o.type === 'line' && finitePoints(o.data) === 1) expect(o.showSymbol, `${chart.key}: ${s.name}`).toBe(true);
      }
      if (s.divergedAt !== undefined && drawn.length > 0) {
        const text = JSON.stringify(chart.option);
        const marks = ['diverged', 'divergedEpoch', 'paths.diverged'].map((key) =>
          englishText(key, { at: s.divergedAt }),
        );
        expect(
          marks.some((m) => text.includes(m)),
          `${chart.key}: ${s.name} marked as diverged`,
        ).toBe(true);
      }
    }
  }
  // Every series with a value to show is drawn in some figure (the search's panels show only the best).
  for (const s of record.series.filter(hasFinite)) {
    const drawnSomewhere = charts.some(({ chart }) =>
      seriesOf(chart).some((o) => draws(o, DRAWN_AS[id]?.(s) ?? s.name)),
    );
    if (id !== 'hyperparameter-search') expect(drawnSomewhere, `${s.name} drawn`).toBe(true);
  }

  // Key results and claims: never a throw, only numbers, text or null.
  const results = slotOf(id).keyResults(record);
  for (const r of results) if (typeof r.value === 'number') expect(Number.isNaN(r.value), r.label).toBe(false);
  for (const claim of checkClaims(record)) {
    if (claim.result === null) continue;
    expect(typeof claim.result.holds).toBe('boolean');
    expect(claim.result.detail.en.length).toBeGreaterThan(0);
  }
  if (summaryMatches && params.success) {
    const missing = (SUMMARY_MEMBERS[id] as ((p: unknown, r: RunRecord) => string[]) | undefined)?.(
      params.data,
      record,
    );
    expect(missing ?? [], 'members missing from the summary').toEqual([]);
  }
}

beforeAll(async () => {
  await initBackend();
});

describe.each(EXPERIMENT_IDS)('figures of %s on awkward records', (id) => {
  const records: RunRecord[] = [];

  it.each(awkwardRuns(id).map((run) => [run.name, run] as const))('%s', async (_name, run) => {
    const record = await runAwkward(id, run);
    records.push(record);
    for (const bent of bentRecords(record)) {
      try {
        checkFigures(id, bent);
      } catch (error) {
        throw new Error(`${run.name}, ${bent.name}: ${(error as Error).message}`, { cause: error });
      }
    }
  });

  it('draws every pair of its awkward runs compared', () => {
    for (const a of records)
      for (const b of records) {
        const charts = compareFiguresFor([a, b]);
        for (const chart of charts) {
          expect(() => JSON.stringify(chart.option)).not.toThrow();
          const titles = panelTitles(chart.option);
          expect(new Set(titles).size).toBe(titles.length);
        }
      }
  });
});

describe('a Batch Norm run whose plain net diverges in epoch 1', () => {
  it('is drawn, summarised and judged as diverged alike', async () => {
    const [run] = awkwardRuns('batch-norm').filter((r) => r.name.includes('diverges'));
    const record = await runAwkward('batch-norm', run!);
    const plain = record.series.find((s) => s.key.batchNorm === false && s.key.scale === 1)!;
    expect(plain.divergedAt).toBe(1);
    expect(plain.y).toHaveLength(1);
    // Figure: its panel shows the epoch-0 point and marks where it stopped.
    const [grid] = figuresFor({ ...record, draft: null });
    const drawn = seriesOf(grid!).find((o) => draws(o, plain.name))!;
    expect(drawn.showSymbol).toBe(true);
    expect(JSON.stringify(drawn.markPoint)).toContain('diverged at epoch 1');
    // Summary: its last accuracy and the epoch.
    expect(record.summary['std=1']).toMatchObject({ normal: plain.y[0], normalDivergedAt: 1 });
    // Claims: named as diverged.
    const extremes = checkClaims(record).find((c) => c.id === 'plain-fails-at-extremes');
    expect(extremes?.result?.detail.en).toContain('std=1: 0.09 (diverged at epoch 1)');
  });
});

describe('a search with a trial that diverged', () => {
  it('ranks it last, as the summary does, and draws it as a cross outside the colour scale', async () => {
    const record = await runAwkward('hyperparameter-search', {
      name: '3 trials',
      params: { trials: 3, epochs: 1, trainSize: 20, batchSize: 10, hidden: [12] },
    });
    // Trial 1 stops after epoch 0 with the best accuracy of all: a diverged net's last value is no result.
    const bent = {
      ...record,
      summary: {},
      series: record.series.map((s) =>
        s.key.trial === 1 ? { ...s, x: [0], y: [0.99], divergedAt: 1 } : { ...s, y: s.y.map((v) => Math.min(v, 0.5)) },
      ),
    };
    expect(trialRows(bent.series).at(-1)?.trial).toBe(1);
    const scatter = figuresFor({ ...bent, draft: null }).find((c) => c.key === 'search-scatter')!;
    const crosses = seriesOf(scatter).find((o) => o.id === 'diverged-trials');
    expect(crosses?.data).toHaveLength(1);
    expect(seriesOf(scatter).find((o) => o.id === 'trials')?.data).toHaveLength(2);
  });
});
