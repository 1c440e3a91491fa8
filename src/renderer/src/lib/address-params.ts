import { type ExperimentId, ParamError, defaultParams, parseParams } from '../../../shared/experiments';
import { changedParams, formatValue } from '../../../shared/param-diff';
import { SetError, applySet } from '../../../shared/set-values';

/**
 * An experiment page's address carries the parameters that differ from the book's
 * (`#/experiment/<id>?lr=0.1&epochs=50`, the paths and values `lab run --set` takes), so a copied link
 * opens the same form.
 */

/** The query of an address for these parameters: what differs from the defaults, and a seed other than the default. */
export function queryFromParams(id: ExperimentId, params: Record<string, unknown>): [string, string][] {
  const defaults = defaultParams(id) as Record<string, unknown>;
  const query = changedParams(params, defaults).map(([path, value]): [string, string] => [path, formatValue(value)]);
  if (params.seed !== defaults.seed) query.push(['seed', String(params.seed)]);
  return query.map(([path, value]) => [path, value.replace(/, /g, ',')]);
}

/** The parameters an address's query describes (validated), or what is wrong with it. */
export function paramsFromQuery(
  id: ExperimentId,
  query: readonly (readonly [string, string])[],
): { params: Record<string, unknown> } | { error: string } {
  const params = structuredClone(defaultParams(id)) as Record<string, unknown>;
  try {
    for (const [path, value] of query) applySet(params, `${path}=${value}`);
    return { params: parseParams(id, params) };
  } catch (error) {
    if (error instanceof SetError || error instanceof ParamError) return { error: error.message };
    throw error;
  }
}
