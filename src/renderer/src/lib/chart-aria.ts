import type { EChartsCoreOption } from './echarts';

interface NamedSeries {
  name?: unknown;
  silent?: unknown;
}

/** The names of the series a chart draws, each once, in order (decorations, which are silent, left out). */
export function seriesNames(option: EChartsCoreOption): string[] {
  const series = (option as { series?: NamedSeries | NamedSeries[] }).series;
  const list = Array.isArray(series) ? series : series ? [series] : [];
  const names = list.filter((s) => s.silent !== true && typeof s.name === 'string' && s.name !== '');
  return [...new Set(names.map((s) => s.name as string))];
}

/**
 * The option with ECharts' aria turned on and its description set: the chart's container gets role
 * img and this text as its aria-label (a screen reader's account of the figure: its title and series).
 */
export function withAriaDescription(option: EChartsCoreOption, description: string): EChartsCoreOption {
  return { ...option, aria: { enabled: true, label: { enabled: true, description } } };
}
