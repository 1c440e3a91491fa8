import { readonly, ref } from 'vue';
import { EXPERIMENT_IDS } from '../../../shared/experiments';

/** Hash routes: #/experiment/<id>, #/history, #/history/<runId>. Works the same under file:// and http. */
export type Route = { name: 'experiment'; id: string } | { name: 'history' } | { name: 'run'; id: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'history') return parts[1] ? { name: 'run', id: parts[1] } : { name: 'history' };
  if (parts[0] === 'experiment' && parts[1]) return { name: 'experiment', id: parts[1] };
  return { name: 'experiment', id: EXPERIMENT_IDS[0]! };
}

export const routeHref = {
  experiment: (id: string) => `#/experiment/${encodeURIComponent(id)}`,
  history: () => '#/history',
  run: (id: string) => `#/history/${encodeURIComponent(id)}`,
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
