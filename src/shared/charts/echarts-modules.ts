import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent,
  BrushComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';

/**
 * The ECharts charts and components the figures use (figures.ts), registered by the lab's window (with
 * the canvas renderer) and by the headless renderer (with the SVG one), so both can draw every figure
 * and the bundle carries no more of ECharts than that.
 */
export const FIGURE_MODULES = [
  LineChart,
  BarChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  DataZoomComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  VisualMapComponent,
  BrushComponent,
  // The window's charts carry an aria-label saying what they draw (EChart.vue).
  AriaComponent,
];
