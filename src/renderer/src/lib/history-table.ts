import type { RunListEntry } from '../../../shared/api';
import { MAX_COMPARED_RUNS } from '../../../shared/charts/compare';
import { defaultParams, isExperimentId } from '../../../shared/experiments';
import { changedParams, describeChanges, flattenParams, formatValue } from '../../../shared/param-diff';
import { EMPTY_RUN_META, type RunMeta } from '../../../shared/runs';

/**
 * The history as a table: each run's row (what differs from the book, its key result, notes and tags),
 * the filters, the sort, and whether a selection can be compared. Pure functions: the view only draws.
 */

export interface HistoryRow {
  entry: RunListEntry;
  meta: RunMeta;
  /** `lr 0.1, epochs 50`; '' for the book's defaults. */
  changes: string;
  /** The first key result, `SGD loss 0.25`; '' while it runs. */
  result: string;
  /** Finished - started, in ms (null while it runs). */
  durationMs: number | null;
}

const number = (value: number | null) =>
  value === null
    ? '–'
    : Math.abs(value) >= 1e-3 || value === 0
      ? String(Number(value.toPrecision(3)))
      : value.toExponential(2);

/** The book's defaults of each experiment, parsed once (a history holds thousands of runs). */
const bookDefaults = new Map<string, Record<string, unknown>>();
function defaultsOf(experiment: string): Record<string, unknown> | undefined {
  if (!isExperimentId(experiment)) return undefined;
  let defaults = bookDefaults.get(experiment);
  if (!defaults) bookDefaults.set(experiment, (defaults = defaultParams(experiment) as Record<string, unknown>));
  return defaults;
}

export function historyRow(entry: RunListEntry): HistoryRow {
  const defaults = defaultsOf(entry.experiment);
  const changes = entry.params && defaults ? describeChanges(changedParams(entry.params, defaults)) : '';
  const first = entry.keyResults?.[0];
  const started = Date.parse(entry.startedAt);
  const finished = entry.finishedAt ? Date.parse(entry.finishedAt) : NaN;
  return {
    entry,
    meta: entry.meta ?? EMPTY_RUN_META,
    changes,
    result: first ? `${first.label} ${number(first.value)}` : '',
    durationMs: Number.isFinite(finished - started) ? finished - started : null,
  };
}

export interface HistoryFilter {
  experiment: string;
  status: string;
  tag: string;
  /** Matches notes, tags and parameter values (any case). */
  text: string;
}

export const NO_FILTER: HistoryFilter = { experiment: '', status: '', tag: '', text: '' };

/** What the free-text filter searches in a row. */
function searchableText(row: HistoryRow): string {
  const params = row.entry.params ? [...flattenParams(row.entry.params)].map(([p, v]) => `${p} ${formatValue(v)}`) : [];
  return [row.meta.notes, ...row.meta.tags, row.changes, row.entry.experiment, ...params].join('\n').toLowerCase();
}

export function filterRows(rows: readonly HistoryRow[], filter: HistoryFilter): HistoryRow[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter(
    (row) =>
      (!filter.experiment || row.entry.experiment === filter.experiment) &&
      (!filter.status || row.entry.status === filter.status) &&
      (!filter.tag || row.meta.tags.includes(filter.tag)) &&
      (words.length === 0 || words.every((word) => searchableText(row).includes(word))),
  );
}

export const SORT_KEYS = [
  'startedAt',
  'experiment',
  'status',
  'duration',
  'backend',
  'dataset',
  'seed',
  'changes',
  'result',
  'notes',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** The table's columns, in order, with their labels' i18n keys; the first three are always shown. */
export const HISTORY_COLUMNS: readonly { key: SortKey; label: string; optional: boolean }[] = [
  { key: 'startedAt', label: 'history.started', optional: false },
  { key: 'experiment', label: 'history.experiment', optional: false },
  { key: 'status', label: 'history.status', optional: false },
  { key: 'duration', label: 'history.duration', optional: true },
  { key: 'backend', label: 'history.backend', optional: true },
  { key: 'dataset', label: 'history.dataset', optional: true },
  { key: 'seed', label: 'history.seed', optional: true },
  { key: 'changes', label: 'history.changes', optional: true },
  { key: 'result', label: 'history.result', optional: true },
  { key: 'notes', label: 'history.notes', optional: true },
];

/**
 * Hidden until asked for: nearly every run has the same backend and seed, and without them the table
 * fits a 1280 px window.
 */
export const DEFAULT_HIDDEN_COLUMNS: readonly SortKey[] = ['backend', 'seed'];

/** The hidden columns from a stored choice (another version's, or junk): optional columns only, else the default. */
export function hiddenColumnsOf(stored: unknown): SortKey[] {
  if (!Array.isArray(stored)) return [...DEFAULT_HIDDEN_COLUMNS];
  return HISTORY_COLUMNS.filter((c) => c.optional && stored.includes(c.key)).map((c) => c.key);
}

function sortValue(row: HistoryRow, key: SortKey): string | number {
  switch (key) {
    case 'startedAt':
      return row.entry.startedAt;
    case 'duration':
      return row.durationMs ?? -1;
    case 'seed':
      return row.entry.seed ?? -1;
    case 'result':
      return row.entry.keyResults?.[0]?.value ?? Number.POSITIVE_INFINITY;
    case 'notes':
      return row.meta.notes.toLowerCase();
    case 'changes':
      return row.changes;
    default:
      return row.entry[key] ?? '';
  }
}

/** Starred runs first; then by the column, ties by start time (newest first). */
export function sortRows(rows: readonly HistoryRow[], key: SortKey, descending: boolean): HistoryRow[] {
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    if (a.meta.starred !== b.meta.starred) return a.meta.starred ? -1 : 1;
    const [x, y] = [sortValue(a, key), sortValue(b, key)];
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sign * order || b.entry.startedAt.localeCompare(a.entry.startedAt);
  });
}

/** Every tag in the history, sorted. */
export const allTags = (rows: readonly HistoryRow[]): string[] =>
  [...new Set(rows.flatMap((row) => row.meta.tags))].sort((a, b) => a.localeCompare(b));

/** Why these runs cannot be compared (an i18n key and its values), or null when they can. */
export function compareBlocker(
  entries: readonly RunListEntry[],
): { key: 'count' | 'experiments' | 'damaged'; values: Record<string, string | number> } | null {
  if (entries.length < 2 || entries.length > MAX_COMPARED_RUNS) {
    return { key: 'count', values: { min: 2, max: MAX_COMPARED_RUNS, n: entries.length } };
  }
  if (entries.some((e) => e.status === 'damaged')) return { key: 'damaged', values: {} };
  const experiments = [...new Set(entries.map((e) => e.experiment))];
  if (experiments.length > 1) return { key: 'experiments', values: { list: experiments.join(', ') } };
  return null;
}

/** Tags as typed in one field: "lr, sweep 1" -> ["lr", "sweep 1"] (trimmed, distinct, non-empty). */
export const parseTags = (text: string): string[] => [
  ...new Set(
    text
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  ),
];
