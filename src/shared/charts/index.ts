/** Chart options shared by the lab's window and headless figure rendering: no UI framework, no DOM. */
export { NAMED_COLORS, PALETTE, seriesColors } from './colors';
export { figureFileName } from './file-name';
export {
  DEFAULT_LOSS_CHART_LABELS,
  type LossChartLabels,
  type LossChartOption,
  type LossChartOptions,
  lossChartOption,
} from './loss-chart';
export {
  type ChartControls,
  type ChartView,
  DEFAULT_CHART_VIEW,
  EMA_WEIGHT_MAX,
  SMOOTHING_MODES,
  type SmoothingMode,
  Y_SCALES,
  type YScale,
  chartViewOf,
  emaWeightOf,
} from './chart-view';
export { type ChartDefinition, type ChartInteraction, type FigureInput, type FigureOptions } from './figures';
export { FIGURE_TEXT, type FigureText, type Translate, englishText } from './text';
export { type TrialRow, bookTrialLine, trialRows } from './search';
export { type FigureOption, panelTitles } from './panels';
