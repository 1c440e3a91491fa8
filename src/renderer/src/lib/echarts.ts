import { LineChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

/** Only what the lab's charts use, so the bundle carries no more of ECharts than that. */
use([LineChart, GridComponent, LegendComponent, TooltipComponent, DataZoomComponent, MarkLineComponent, TitleComponent, CanvasRenderer]);

export { init, type ECharts, type EChartsCoreOption } from 'echarts/core';
