import type { ChartDefinition } from './figures';
import { PALETTE } from './colors';
import { unionYAxis } from './y-range';

/**
 * Several runs of one experiment in the same figures: each run's figures come from the experiment's
 * own builders (its slot), then the figures with the same key are laid on top of each other. The first
 * run is drawn as it would be alone; each further run keeps its series' names and colours (so a legend
 * click still hides a series, in every run) and is told apart by its line dash, its bar colour or its
 * symbol (RUN_STYLES), which the compare view's run legend shows beside the run's name. A line chart
 * with view controls (the loss) takes the y range of every run, so no run's curves are out of sight.
 */

/** How run k (0-based) is drawn: the dash of its lines (none: as built), its symbol, and a colour for bars. */
export interface RunStyle {
  dash: number[] | null;
  symbol: 'circle' | 'triangle' | 'diamond' | 'rect' | 'roundRect' | 'pin' | 'arrow' | 'emptyCircle';
  barColor: string | null;
}

export const RUN_STYLES: readonly RunStyle[] = [
  { dash: null, symbol: 'circle', barColor: null },
  { dash: [6, 3], symbol: 'triangle', barColor: PALETTE[1]! },
  { dash: [1.5, 2.5], symbol: 'diamond', barColor: PALETTE[2]! },
  { dash: [8, 3, 2, 3], symbol: 'rect', barColor: PALETTE[3]! },
  { dash: [3, 3], symbol: 'roundRect', barColor: PALETTE[4]! },
  { dash: [12, 4], symbol: 'pin', barColor: PALETTE[5]! },
  { dash: [2, 6], symbol: 'arrow', barColor: PALETTE[6]! },
  { dash: [10, 3, 2, 3, 2, 3], symbol: 'emptyCircle', barColor: PALETTE[7]! },
];

/** At most this many runs in one comparison (one style each). */
export const MAX_COMPARED_RUNS = RUN_STYLES.length;

/** What a later run's series ids end with, before the run's number. */
export const RUN_ID_SUFFIX = '~r';

type AnySeries = Record<string, unknown> & {
  type?: string;
  id?: string;
  xAxisIndex?: number;
  lineStyle?: Record<string, unknown>;
  itemStyle?: Record<string, unknown>;
  silent?: boolean;
};

const axisCount = (option: Record<string, unknown>): number => {
  const axis = option.xAxis;
  return Array.isArray(axis) ? axis.length : axis ? 1 : 0;
};

/** A series of run k restyled so that it reads as run k's. */
function restyle(series: AnySeries, run: number, style: RunStyle): AnySeries {
  // The run goes last in the id (`path:SGD~r2`): tooltips recognise a series by how its id starts.
  const out: AnySeries = { ...series, ...(series.id ? { id: `${series.id}${RUN_ID_SUFFIX}${run}` } : {}) };
  if (series.type === 'line') {
    if (style.dash) out.lineStyle = { ...series.lineStyle, type: style.dash };
    if (series.symbol !== 'none' && series.symbol !== undefined) out.symbol = style.symbol;
  } else if (series.type === 'bar' && style.barColor) {
    // Its own hatching too, so runs' bars differ without their colour (WCAG 1.4.1).
    const decal = {
      color: 'rgba(0, 0, 0, 0.35)',
      dashArrayX: [1, 0],
      dashArrayY: [2, 5],
      rotation: (run * Math.PI) / 4,
    };
    out.itemStyle = { ...series.itemStyle, color: style.barColor, opacity: 0.55, decal };
    out.color = style.barColor;
  } else if (series.type === 'scatter') {
    out.symbol = style.symbol;
  }
  return out;
}

/**
 * The figures of several runs, one figure per chart key of the first run: the first run's option
 * with every other run's series added (restyled). A series of a later run that belongs to a panel the
 * first run does not have (other parameters, other panel count) is left out; so are its decorations.
 */
export function overlayRunFigures(perRun: readonly ChartDefinition[][]): ChartDefinition[] {
  const [first = [], ...rest] = perRun;
  return first.map((chart) => {
    const base = chart.option as unknown as Record<string, unknown> & { series?: AnySeries[] };
    const panels = axisCount(base);
    // An item tooltip (a path's step and optimizer state, a trial's rank) tells the first run's story.
    const itemTooltip = (base.tooltip as { trigger?: string } | undefined)?.trigger === 'item';
    const series: AnySeries[] = [...(base.series ?? [])];
    const yAxes: unknown[] = [base.yAxis];
    let points = chart.points;
    rest.forEach((charts, r) => {
      const other = charts.find((c) => c.key === chart.key);
      if (!other) return;
      yAxes.push((other.option as unknown as { yAxis?: unknown }).yAxis);
      points += other.points;
      const style = RUN_STYLES[(r + 1) % RUN_STYLES.length]!;
      for (const s of (other.option as unknown as { series?: AnySeries[] }).series ?? []) {
        // Decorations (contours, gap bands, marks) are silent and drawn once, with the first run.
        if (s.silent === true || (s.xAxisIndex ?? 0) >= Math.max(panels, 1)) continue;
        const restyled = restyle(s, r + 1, style);
        series.push(itemTooltip ? { ...restyled, tooltip: { show: false } } : restyled);
      }
    });
    const { interaction: _interaction, ...rest_ } = chart;
    const option = chart.controls ? { ...base, series, yAxis: unionYAxis(yAxes) } : { ...base, series };
    return { ...rest_, option: option as unknown as ChartDefinition['option'], points };
  });
}
