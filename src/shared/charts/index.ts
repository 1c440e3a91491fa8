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
