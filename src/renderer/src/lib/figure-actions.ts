import type { ChartInteraction } from '../../../shared/charts';

/**
 * What the figures' interactions change in the parameters: a point picked on the optimizer paths'
 * contour becomes the start point, a region brushed on the search's scatter the searched ranges. The
 * chart's interaction names the parameters it sets (declared in the experiment's slot).
 */

export type PickPoint = Extract<ChartInteraction, { kind: 'pick-point' }>;
export type BrushRegion = Extract<ChartInteraction, { kind: 'brush-region' }>;

/** The form updates that move the start point to (x, y). */
export function startUpdates(interaction: PickPoint, x: number, y: number): Record<string, string> {
  return { [interaction.params.x]: String(x), [interaction.params.y]: String(y) };
}

/** The run's parameters with the brushed ranges (3 significant digits) in place of its own. */
export function narrowedParams(
  params: Record<string, unknown> | null | undefined,
  interaction: BrushRegion,
  region: { x: [number, number]; y: [number, number] },
): Record<string, unknown> | null {
  if (!params) return null;
  const round = (v: number) => Number(v.toPrecision(3));
  const [xMin, xMax] = interaction.params.x;
  const [yMin, yMax] = interaction.params.y;
  return {
    ...params,
    [xMin]: round(region.x[0]),
    [xMax]: round(region.x[1]),
    [yMin]: round(region.y[0]),
    [yMax]: round(region.y[1]),
  };
}
