import { describe, expect, it } from 'vitest';
import type { RunListEntry } from '../../../shared/api';
import { defaultParams } from '../../../shared/experiments';
import {
  DEFAULT_HIDDEN_COLUMNS,
  HISTORY_COLUMNS,
  compareBlocker,
  filterRows,
  hiddenColumnsOf,
  historyRow,
  parseTags,
  sortRows,
} from './history-table';

const entry = (id: string, startedAt: string, extra: Partial<RunListEntry> = {}): RunListEntry => ({
  id,
  experiment: 'optimizers-mnist',
  status: 'completed',
  startedAt,
  finishedAt: startedAt.replace(':00.000Z', ':30.000Z'),
  params: defaultParams('optimizers-mnist'),
  seed: 1,
  ...extra,
});

const fast = entry('fast', '2026-11-30T10:00:00.000Z', {
  params: { ...defaultParams('optimizers-mnist'), iterations: 700 },
  keyResults: [{ label: 'SGD loss', value: 0.41 }],
  meta: { notes: 'Adam wins early', tags: ['sweep'], starred: false },
});
const book = entry('book', '2026-11-30T11:00:00.000Z', { keyResults: [{ label: 'SGD loss', value: 0.25 }] });
const starred = entry('starred', '2026-11-30T09:00:00.000Z', {
  meta: { notes: '', tags: ['baseline'], starred: true },
});
const search = entry('search', '2026-11-30T12:00:00.000Z', { experiment: 'hyperparameter-search', params: undefined });

describe('the history table', () => {
  it('shows what differs from the book and the key result', () => {
    expect(historyRow(fast)).toMatchObject({ changes: 'iterations 700', result: 'SGD loss 0.41', durationMs: 30_000 });
    expect(historyRow(book).changes).toBe('');
  });

  it('filters by experiment, status, tag and words from notes and parameters', () => {
    const rows = [fast, book, starred, search].map(historyRow);
    const ids = (filter: Partial<Parameters<typeof filterRows>[1]>) =>
      filterRows(rows, { experiment: '', status: '', tag: '', text: '', ...filter }).map((r) => r.entry.id);
    expect(ids({ experiment: 'hyperparameter-search' })).toEqual(['search']);
    expect(ids({ tag: 'sweep' })).toEqual(['fast']);
    expect(ids({ text: 'adam WINS' })).toEqual(['fast']);
    expect(ids({ text: 'iterations 700' })).toEqual(['fast']);
    expect(ids({ text: 'batchSize 128' })).toEqual(['fast', 'book', 'starred']);
    expect(ids({ status: 'failed' })).toEqual([]);
  });

  it('sorts by any column, starred runs first', () => {
    const rows = [fast, book, starred].map(historyRow);
    expect(sortRows(rows, 'startedAt', true).map((r) => r.entry.id)).toEqual(['starred', 'book', 'fast']);
    expect(sortRows(rows, 'result', false).map((r) => r.entry.id)).toEqual(['starred', 'book', 'fast']);
    expect(sortRows(rows, 'changes', true).map((r) => r.entry.id)).toEqual(['starred', 'fast', 'book']);
  });

  it('compares 2 to 8 runs of one experiment, and says why not otherwise', () => {
    expect(compareBlocker([fast, book])).toBeNull();
    expect(compareBlocker([fast])).toMatchObject({ key: 'count', values: { n: 1, min: 2, max: 8 } });
    expect(compareBlocker([fast, search])).toMatchObject({ key: 'experiments' });
    expect(compareBlocker([fast, { ...book, status: 'damaged' }])).toMatchObject({ key: 'damaged' });
    expect(compareBlocker(Array.from({ length: 9 }, (_, k) => entry(`r${k}`, book.startedAt)))).toMatchObject({
      key: 'count',
    });
  });

  it('hides the columns chosen (optional ones only), the backend and seed by default', () => {
    expect(hiddenColumnsOf(null)).toEqual(['backend', 'seed']);
    expect(hiddenColumnsOf('junk')).toEqual([...DEFAULT_HIDDEN_COLUMNS]);
    expect(hiddenColumnsOf([])).toEqual([]);
    // Columns that are always shown, or that this version does not have, stay out of the list.
    expect(hiddenColumnsOf(['notes', 'startedAt', 'gpu', 'duration'])).toEqual(['duration', 'notes']);
    expect(HISTORY_COLUMNS.filter((c) => !c.optional).map((c) => c.key)).toEqual(['startedAt', 'experiment', 'status']);
  });

  it('reads tags typed with commas', () => {
    expect(parseTags(' lr sweep, baseline,, lr sweep ')).toEqual(['lr sweep', 'baseline']);
  });
});
