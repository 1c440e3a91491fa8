import { type ECharts, type EChartsCoreOption, init } from './echarts';

interface ZoomState {
  start?: number;
  end?: number;
}

/**
 * A chart as SVG text: the same option drawn by ECharts' SVG renderer (server-side mode, no DOM) at the
 * live chart's size, on white, as the PNG export is: the zoomed x range and the series hidden from the
 * legend are kept, the zoom slider (a control, not part of the figure) is not drawn.
 */
export function chartSvg(live: ECharts, option: EChartsCoreOption): string {
  const state = live.getOption() as { dataZoom?: ZoomState[]; legend?: { selected?: Record<string, boolean> }[] };
  const zooms = state.dataZoom ?? [];
  const own = option as EChartsCoreOption & { dataZoom?: unknown; legend?: unknown };
  const dataZoom = Array.isArray(own.dataZoom)
    ? own.dataZoom.map((dz: Record<string, unknown>, i: number) => ({
        ...dz,
        show: false,
        ...(zooms[i]?.start !== undefined ? { start: zooms[i].start } : {}),
        ...(zooms[i]?.end !== undefined ? { end: zooms[i].end } : {}),
      }))
    : own.dataZoom;
  const selected = state.legend?.[0]?.selected;
  const legend =
    selected && own.legend && !Array.isArray(own.legend)
      ? { ...(own.legend as Record<string, unknown>), selected }
      : own.legend;

  const svg = init(null, undefined, {
    renderer: 'svg',
    ssr: true,
    width: live.getWidth(),
    height: live.getHeight(),
  });
  try {
    svg.setOption({
      ...option,
      animation: false,
      backgroundColor: '#fff',
      ...(dataZoom !== undefined ? { dataZoom } : {}),
      ...(legend !== undefined ? { legend } : {}),
    });
    return svg.renderToSVGString();
  } finally {
    svg.dispose();
  }
}
