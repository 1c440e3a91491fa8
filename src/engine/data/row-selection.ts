import { type Split, firstItems, imageRows } from './mnist';

/** Rows of a split: all, the first n (the book's x_train[:n]) or an explicit list (a shuffled subset). */
export type RowSelection = 'all' | { first: number } | { indices: readonly number[] };

export function selectRows(split: Split, rows: RowSelection): Split {
  if (rows === 'all') return split;
  if ('first' in rows) return firstItems(split, rows.first);
  for (const i of rows.indices) {
    if (!Number.isInteger(i) || i < 0 || i >= split.count)
      throw new RangeError(`row ${i} is not in 0..${split.count - 1}`);
  }
  return {
    images: imageRows(split, rows.indices),
    labels: Uint8Array.from(rows.indices, (i) => split.labels[i]!),
    count: rows.indices.length,
    pixels: split.pixels,
  };
}
