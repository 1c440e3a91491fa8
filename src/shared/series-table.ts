import type { Series } from './runs';
import type { SeriesKey } from './series';

/**
 * The data of a figure as a table: one row per x, one column per series of each run, with a header
 * naming run and series; what the CSV and JSON exports write.
 */

export interface TableColumn {
  /** The run's label (its id, or what sets it apart: "lr 0.1"). */
  run: string;
  series: string;
  metric: string;
  key: SeriesKey;
}

export interface SeriesTable {
  columns: TableColumn[];
  /** [x, y of column 0, y of column 1, ...]; null where a series has no point at that x. */
  rows: (number | null)[][];
}

export function seriesTable(runs: readonly { label: string; series: readonly Series[] }[]): SeriesTable {
  const columns: TableColumn[] = [];
  const byX = new Map<number, Map<number, number>>();
  for (const run of runs) {
    for (const s of run.series) {
      const column = columns.length;
      columns.push({ run: run.label, series: s.name, metric: s.metric, key: s.key });
      s.x.forEach((x, i) => {
        let row = byX.get(x);
        if (!row) byX.set(x, (row = new Map<number, number>()));
        row.set(column, s.y[i]!);
      });
    }
  }
  const rows = [...byX.keys()]
    .sort((a, b) => a - b)
    .map((x) => [x, ...columns.map((_, c) => byX.get(x)!.get(c) ?? null)]);
  return { columns, rows };
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV: a header `x,<run> / <series>,...`, then one line per row; empty cells for no point. */
export function tableCsv(table: SeriesTable): string {
  const header = ['x', ...table.columns.map((c) => `${c.run} / ${c.series}`)].map(csvField).join(',');
  const lines = table.rows.map((row) => row.map((v) => (v === null ? '' : String(v))).join(','));
  return [header, ...lines].join('\r\n') + '\r\n';
}

/** The same table as JSON: the columns (run, series, metric, key) and the rows. */
export function tableJson(table: SeriesTable): string {
  return JSON.stringify({ columns: [{ run: '', series: 'x' }, ...table.columns], rows: table.rows }, null, 1) + '\n';
}
