import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { FIGURE_MODULES } from '../../../shared/charts/echarts-modules';

/** Only what the lab's figures use (the same list the headless renderer registers), drawn on canvas. */
use([...FIGURE_MODULES, CanvasRenderer]);

export { init, type ECharts, type EChartsCoreOption } from 'echarts/core';
