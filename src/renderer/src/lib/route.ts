import { readonly, ref } from 'vue';
import { EXPERIMENT_IDS } from '../../../shared/experiments';

/**
 * Hash routes, the same under file:// and http:
 * - #/experiment/<id>?<path>=<value>&...: an experiment's page, its form set to the parameters in the
 *   query (those that differ from the book's; `lab run --set` paths and values), so a link opens it;
 * - #/history, #/history/<runId>: the history table and one run;
 * - #/compare/<runId>,<runId>,...: runs of one experiment side by side.
 */
export type Route =
  | { name: 'experiment'; id: string; query: [string, string][] }
  | { name: 'history' }
  | { name: 'run'; id: string }
  | { name: 'compare'; ids: string[] };

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'history') return parts[1] ? { name: 'run', id: parts[1] } : { name: 'history' };
  if (parts[0] === 'compare') return { name: 'compare', ids: (parts[1] ?? '').split(',').filter(Boolean) };
  if (parts[0] === 'experiment' && parts[1])
    return { name: 'experiment', id: parts[1], query: [...new URLSearchParams(search)] };
  return { name: 'experiment', id: EXPERIMENT_IDS[0]!, query: [] };
}

export const routeHref = {
  experiment: (id: string, query: readonly [string, string][] = []) => {
    const search = new URLSearchParams(query as [string, string][]).toString();
    return `#/experiment/${encodeURIComponent(id)}${search ? `?${search}` : ''}`;
  },
  history: () => '#/history',
  run: (id: string) => `#/history/${encodeURIComponent(id)}`,
  compare: (ids: readonly string[]) => `#/compare/${ids.map(encodeURIComponent).join(',')}`,
};

const current = ref<Route>(parseRoute(location.hash));
window.addEventListener('hashchange', () => {
  current.value = parseRoute(location.hash);
});

export function useRoute() {
  return readonly(current);
}

export function navigate(href: string): void {
  if (location.hash === href) current.value = parseRoute(href);
  else location.hash = href;
}

/** Shows `href` in the address bar without a new page (the form's parameters as they change). */
export function replaceAddress(href: string): void {
  if (location.hash !== href) history.replaceState(history.state, '', href);
}
