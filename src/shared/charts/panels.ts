import type { BarSeriesOption, LineSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type {
  BrushComponentOption,
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  MarkPointComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import type { XAXisComponentOption, YAXisComponentOption } from 'echarts';
import type { ComposeOption } from 'echarts/core';

/**
 * Small multiples: many panels (grids with their own axes) in one ECharts option, so a figure of 16
 * panels is one chart, drawn, exported and rendered headless as one image. Horizontal positions are
 * percentages (the lab's window is as wide as it is), vertical ones pixels (each figure has a height).
 */

export type FigureOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | DataZoomComponentOption
  | MarkLineComponentOption
  | MarkPointComponentOption
  | TitleComponentOption
  | VisualMapComponentOption
  | BrushComponentOption
>;

export type PanelSeries = LineSeriesOption | BarSeriesOption | ScatterSeriesOption;
export type AxisOption = XAXisComponentOption & YAXisComponentOption;

export interface Panel {
  /** Centred above the panel. */
  title?: string;
  /** Lines of small text under the panel (e.g. a histogram's mean and std). */
  footer?: string[];
  series: PanelSeries[];
  /** Merged over the figure's axis of this panel. */
  xAxis?: Partial<XAXisComponentOption>;
  yAxis?: Partial<YAXisComponentOption>;
}

export interface GridLayout {
  cols: number;
  /** Rows of the figure; default: as many as the panels need. */
  rows?: number;
  /** The chart's height in pixels. */
  height: number;
  /** Pixels above the first row (figure title, legend) and below the last (x axis name). */
  top: number;
  bottom: number;
  /** Percent of the width left and right of all panels, and between two columns. */
  left: number;
  right: number;
  gapX: number;
  /** Columns come in groups of this many, with `groupGapX` percent more between two groups. */
  groupCols?: number;
  groupGapX?: number;
  /** Pixels between two rows: room for tick labels, the footer and the next row's title. */
  gapY: number;
  /** Pixel height of one footer line. Default 14. */
  footerLine?: number;
  /** Tick labels only on the left column (y) and the bottom row (x), as the book's grids. Default true. */
  edgeLabels?: boolean;
  /** Axis names on the bottom row (x) and left column (y). */
  xName?: string;
  yName?: string;
}

export interface PanelRect {
  left: number;
  width: number;
  top: number;
  height: number;
}

/** Where each panel goes: left/width in percent, top/height in pixels. */
export function panelRects(count: number, layout: GridLayout): PanelRect[] {
  const cols = Math.max(1, layout.cols);
  const rows = layout.rows ?? Math.max(1, Math.ceil(count / cols));
  const group = layout.groupCols ?? cols;
  const groupGap = layout.groupGapX ?? 0;
  const extra = (Math.ceil(cols / group) - 1) * groupGap;
  const width = (100 - layout.left - layout.right - extra - (cols - 1) * layout.gapX) / cols;
  const height = Math.max(10, (layout.height - layout.top - layout.bottom - (rows - 1) * layout.gapY) / rows);
  return Array.from({ length: count }, (_, i) => ({
    left: layout.left + (i % cols) * (width + layout.gapX) + Math.floor((i % cols) / group) * groupGap,
    width,
    top: layout.top + Math.floor(i / cols) * (height + layout.gapY),
    height,
  }));
}

/** The id prefix of a panel's title component: `panel-title:<panel index>`. */
const PANEL_TITLE_ID = 'panel-title:';

/** The id of the title naming panel (or cell of panels) `index`: panelTitles lists these in order. */
export const panelTitleId = (index: number): string => `${PANEL_TITLE_ID}${index}`;

/**
 * The titles of a figure's panels, in panel order (what a screen reader and the tests are told the
 * figure shows: "Panels: W:1, W:0.541, ..."); empty for a figure that is not small multiples.
 */
export function panelTitles(option: object): string[] {
  const { title } = option as { title?: unknown };
  const titles = Array.isArray(title) ? (title as { id?: unknown; text?: unknown }[]) : [];
  return titles
    .filter((title) => typeof title.id === 'string' && title.id.startsWith(PANEL_TITLE_ID))
    .map((title) => (typeof title.text === 'string' ? title.text : ''));
}

const pct = (value: number) => `${value.toFixed(3)}%`;
const AXIS_TEXT = { color: '#555', fontSize: 10 };

export interface PanelGrid {
  grid: GridComponentOption[];
  xAxis: XAXisComponentOption[];
  yAxis: YAXisComponentOption[];
  series: PanelSeries[];
  title: TitleComponentOption[];
}

/**
 * The grids, axes, series and panel titles of the panels. `x` and `y` are each panel's axis (merged
 * with the panel's own); series get their axis indices here.
 */
export function panelGrid(
  panels: readonly Panel[],
  layout: GridLayout,
  x: Partial<XAXisComponentOption>,
  y: Partial<YAXisComponentOption>,
): PanelGrid {
  const rects = panelRects(panels.length, layout);
  const cols = Math.max(1, layout.cols);
  const edge = layout.edgeLabels ?? true;
  const footerLine = layout.footerLine ?? 14;
  const out: PanelGrid = { grid: [], xAxis: [], yAxis: [], series: [], title: [] };
  panels.forEach((panel, i) => {
    const rect = rects[i]!;
    const leftColumn = i % cols === 0;
    // The bottom of its column: no panel below it (the last row, or above the gap a short last row leaves).
    const bottomRow = i + cols >= panels.length;
    out.grid.push({
      left: pct(rect.left),
      width: pct(rect.width),
      top: rect.top,
      height: rect.height,
      containLabel: false,
    });
    // Ticks and names on the figure's edges only (the book's grids), unless every panel is labelled.
    const axis = (showLabels: boolean, name: string | undefined, nameGap: number) => ({
      type: 'value' as const,
      gridIndex: i,
      axisLabel: { ...AXIS_TEXT, show: !edge || showLabels, hideOverlap: true },
      axisTick: { show: !edge || showLabels },
      ...(showLabels && name ? { name, nameLocation: 'middle' as const, nameGap, nameTextStyle: AXIS_TEXT } : {}),
    });
    out.xAxis.push({
      ...axis(bottomRow, layout.xName, 20),
      splitLine: { show: false },
      ...x,
      ...panel.xAxis,
    } as XAXisComponentOption);
    out.yAxis.push({
      ...axis(leftColumn, layout.yName, 32),
      splitLine: { lineStyle: { color: '#f0f2f5' } },
      axisLine: { show: true },
      ...y,
      ...panel.yAxis,
    } as YAXisComponentOption);
    // Ids stay unique when panels repeat a series (the same contour in every panel).
    for (const s of panel.series) {
      out.series.push({
        ...s,
        ...(s.id !== undefined ? { id: `${s.id}@${i}` } : {}),
        xAxisIndex: i,
        yAxisIndex: i,
      });
    }
    const centre = pct(rect.left + rect.width / 2);
    if (panel.title) {
      out.title.push({
        id: panelTitleId(i),
        text: panel.title,
        left: centre,
        top: rect.top - 17,
        textAlign: 'center',
        textStyle: { fontSize: 11, fontWeight: 'normal', color: '#333' },
      });
    }
    (panel.footer ?? []).forEach((line, k) => {
      out.title.push({
        id: `panel-footer:${i}:${k}`,
        text: line,
        left: centre,
        top: rect.top + rect.height + (bottomRow && layout.xName ? 30 : 18) + k * footerLine,
        textAlign: 'center',
        textStyle: { fontSize: 10, fontWeight: 'normal', color: '#555' },
      });
    });
  });
  return out;
}

/** A figure of panels: no animation (live charts redraw often), transparent, its title above the panels'. */
export function panelsOption(grid: PanelGrid, title: string | undefined): FigureOption {
  return {
    animation: false,
    backgroundColor: 'transparent',
    title: [...figureTitle(title), ...grid.title],
    grid: grid.grid,
    xAxis: grid.xAxis,
    yAxis: grid.yAxis,
    series: grid.series,
  };
}

/** The figure's own title, above everything. */
export function figureTitle(text: string | undefined): TitleComponentOption[] {
  return text ? [{ text, left: 'center', top: 4, textStyle: { fontSize: 14 } }] : [];
}

/**
 * Points as ECharts wants them, cut to the shorter of x and y. A point with a NaN or infinite coordinate
 * (a net or path that diverged) becomes NaN, which ECharts leaves out as a gap instead of stretching an
 * axis to infinity.
 */
export function xyPairs(x: readonly number[], y: readonly number[]): [number, number][] {
  const n = Math.min(x.length, y.length);
  const out = new Array<[number, number]>(n);
  for (let k = 0; k < n; k++) out[k] = Number.isFinite(x[k]!) && Number.isFinite(y[k]!) ? [x[k]!, y[k]!] : [NaN, NaN];
  return out;
}

/** How many of a series' values can be drawn (finite). */
export function finiteCount(y: readonly number[]): number {
  let n = 0;
  for (const v of y) if (Number.isFinite(v)) n++;
  return n;
}

export interface CurveStyle {
  color: string;
  dashed?: boolean;
  width?: number;
  /** The name the legend groups it under. */
  name: string;
  id?: string;
  z?: number;
  /**
   * The series stopped at x = `at` (NaN or infinite loss): its last point (none: x = `at` on the floor)
   * is marked with `label`.
   */
  diverged?: { at: number; label: string };
}

/**
 * A plain curve: no symbols, no hover emphasis, clipped to its panel. A curve of a single point (a net
 * that diverged in its first epoch, a run cancelled after its first report) shows that point, and a
 * curve that diverged marks where it stopped, so no series is ever drawn invisibly.
 */
export function curve(x: readonly number[], y: readonly number[], style: CurveStyle): LineSeriesOption {
  const data = xyPairs(x, y);
  const stop = style.diverged && (lastFinitePoint(data) ?? ([style.diverged.at, 0] as [number, number]));
  return {
    type: 'line',
    ...(style.id ? { id: style.id } : {}),
    name: style.name,
    data,
    color: style.color,
    showSymbol: finiteCount(y) === 1,
    symbol: finiteCount(y) === 1 ? 'circle' : 'none',
    symbolSize: 6,
    clip: true,
    z: style.z ?? 3,
    lineStyle: { width: style.width ?? 1.6, color: style.color, type: style.dashed ? 'dashed' : 'solid' },
    emphasis: { disabled: true },
    ...(style.diverged && stop ? { markPoint: divergedMark(stop, style.diverged.label, style.color) } : {}),
  };
}

/** Where a series stopped because it diverged: a cross at its last finite point, labelled. */
export function divergedMark(point: [number, number], label: string, color: string): MarkPointComponentOption {
  return {
    silent: true,
    symbol: 'path://M0,0 L10,10 M10,0 L0,10',
    symbolSize: 8,
    itemStyle: { color: 'none', borderColor: color, borderWidth: 2 },
    label: { show: true, position: 'right', distance: 4, formatter: label, fontSize: 10, color },
    data: [{ name: label, coord: point }],
  };
}

/** The last point of a series' data whose coordinates are both finite, if any. */
export const lastFinitePoint = (data: readonly [number, number][]): [number, number] | undefined =>
  data.findLast(([x, y]) => Number.isFinite(x) && Number.isFinite(y));

/** Legend entries as short line icons in the given colours (dashed ones drawn dashed). */
export function lineLegend(
  items: readonly { name: string; color: string; dashed?: boolean }[],
  top: number,
  interactive: boolean,
): LegendComponentOption {
  return {
    top,
    left: 'center',
    icon: 'path://M0,2 L18,2 L18,4 L0,4 Z',
    itemWidth: 22,
    itemGap: 16,
    itemHeight: 4,
    selectedMode: interactive,
    data: items.map((item) => ({
      name: item.name,
      itemStyle: { color: item.color },
      ...(item.dashed
        ? { icon: 'path://M0,2 L6,2 L6,4 L0,4 Z M9,2 L15,2 L15,4 L9,4 Z M18,2 L22,2 L22,4 L18,4 Z' }
        : {}),
    })),
  };
}

/** A round number at or above `value` (1, 2, 2.5, 5 × a power of ten) for the top of an axis. */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * power >= value * (1 - 1e-9)) ?? 10;
  return Number((step * power).toPrecision(6));
}

/** The total number of data points of some series lists (what a chart's data-points reports). */
export function countPoints(series: readonly { x: readonly unknown[] }[]): number {
  return series.reduce((sum, s) => sum + s.x.length, 0);
}
