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
  const whole = Object.keys(params).filter((key) => holdsGroupsOfGroups(params[key]));
  const flat = (record: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(record).filter(([key]) => !whole.includes(key)));
  const query = changedParams(flat(params), flat(defaults)).map(([path, value]): [string, string] => [
    path,
    formatValue(value).replace(/, /g, ','),
  ]);
  for (const key of whole)
    if (JSON.stringify(params[key]) !== JSON.stringify(defaults[key])) query.push([key, JSON.stringify(params[key])]);
  if (params.seed !== defaults.seed) query.push(['seed', String(params.seed)]);
  return query;
}

/**
 * A list whose items hold groups of their own (the workbench's variants, each with its optimizer): it
 * goes into the address whole, as JSON, since its items' names may hold dots and `=`.
 */
function holdsGroupsOfGroups(value: unknown): boolean {
  const isGroup = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);
  return Array.isArray(value) && value.some((item) => isGroup(item) && Object.values(item as object).some(isGroup));
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

/**
 * The query for the page's address: `queryFromParams` when it reads back to these very parameters, else
 * none (a guard: an address that fails to load is worse than the bare page).
 */
export function addressQuery(id: ExperimentId, params: Record<string, unknown>): [string, string][] {
  const query = queryFromParams(id, params);
  const back = paramsFromQuery(id, query);
  return 'params' in back && JSON.stringify(back.params) === JSON.stringify(params) ? query : [];
}
