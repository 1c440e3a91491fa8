import { use } from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import { FIGURE_MODULES } from '../../../shared/charts/echarts-modules';

/**
 * Only what the lab's figures use (the same list the headless renderer registers), drawn on canvas;
 * the SVG renderer draws a chart's SVG export.
 */
use([...FIGURE_MODULES, CanvasRenderer, SVGRenderer]);

export { init, type ECharts, type EChartsCoreOption } from 'echarts/core';
