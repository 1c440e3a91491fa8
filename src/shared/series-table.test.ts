import { describe, expect, it } from 'vitest';
import { optimizerLossSeries } from './slots/optimizers-mnist';
import { type SeriesTable, seriesTable, tableCsv, tableJson } from './series-table';
import type { Series } from './runs';
import { readCsv } from './csv.test-helpers';

const loss = (optimizer: 'SGD' | 'Adam', x: number[], y: number[]): Series => ({
  ...optimizerLossSeries(optimizer),
  x,
  y,
});

describe('seriesTable', () => {
  const runs = [
    {
      label: 'lr 0.1, "fast"',
      series: [loss('SGD', [0, 1, 2], [2.3, 1.7000000000000002, 1.2]), loss('Adam', [0, 2], [2.2, 0.9])],
    },
    { label: 'book', series: [loss('SGD', [1, 3], [1.9, 1e-7])] },
  ];

  it('puts one row per x and one column per series of each run, empty where a series has no point', () => {
    const table: SeriesTable = seriesTable(runs);
    expect(table.columns.map((c) => `${c.run} / ${c.series}`)).toEqual([
      'lr 0.1, "fast" / SGD',
      'lr 0.1, "fast" / Adam',
      'book / SGD',
    ]);
    expect(table.columns[1]!.key).toEqual({ optimizer: 'Adam' });
    expect(table.rows).toEqual([
      [0, 2.3, 2.2, null],
      [1, 1.7000000000000002, null, 1.9],
      [2, 1.2, 0.9, null],
      [3, null, null, 1e-7],
    ]);
  });

  it('writes CSV that reads back to the same numbers, with the header quoted where it must be', () => {
    const table = seriesTable(runs);
    const [header, ...rows] = readCsv(tableCsv(table));
    expect(header).toEqual(['x', 'lr 0.1, "fast" / SGD', 'lr 0.1, "fast" / Adam', 'book / SGD']);
    expect(rows.map((r) => r.map((cell) => (cell === '' ? null : Number(cell))))).toEqual(table.rows);
  });

  it('writes JSON with the columns (run, series, metric, key) and the same rows', () => {
    const parsed = JSON.parse(tableJson(seriesTable(runs))) as {
      columns: { run: string; series: string }[];
      rows: unknown[];
    };
    expect(parsed.columns[0]).toEqual({ run: '', series: 'x' });
    expect(parsed.columns[3]).toMatchObject({ run: 'book', series: 'SGD', metric: 'loss', key: { optimizer: 'SGD' } });
    expect(parsed.rows).toEqual(seriesTable(runs).rows);
  });
});
