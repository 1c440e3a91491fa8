/**
 * Contour lines of a function of two variables by marching squares: f is sampled on a regular grid,
 * every cell that a level crosses gives a segment between the two edges it crosses (linear
 * interpolation), and segments that share an edge are chained into polylines (closed ones end where
 * they began). Pure numbers: the charts draw the polylines.
 */

export type Point = [number, number];

export interface ContourOptions {
  x: [number, number];
  y: [number, number];
  levels: readonly number[];
  /** Grid cells along x and y. */
  nx?: number;
  ny?: number;
}

export interface ContourLevel {
  level: number;
  lines: Point[][];
}

// For each of the 16 corner cases (bit 0: bottom-left, 1: bottom-right, 2: top-right, 3: top-left above
// the level) the pairs of edges a segment joins. Edges: 0 bottom, 1 right, 2 top, 3 left. The two
// saddles (5, 10) are resolved by the centre value.
const SEGMENTS: Record<number, [number, number][]> = {
  1: [[3, 0]],
  2: [[0, 1]],
  3: [[3, 1]],
  4: [[1, 2]],
  6: [[0, 2]],
  7: [[3, 2]],
  8: [[2, 3]],
  9: [[0, 2]],
  11: [[1, 2]],
  12: [[1, 3]],
  13: [[0, 1]],
  14: [[3, 0]],
};

export function contourLines(f: (x: number, y: number) => number, options: ContourOptions): ContourLevel[] {
  const nx = options.nx ?? 100;
  const ny = options.ny ?? 60;
  const [x0, x1] = options.x;
  const [y0, y1] = options.y;
  const xs = Array.from({ length: nx + 1 }, (_, i) => x0 + ((x1 - x0) * i) / nx);
  const ys = Array.from({ length: ny + 1 }, (_, j) => y0 + ((y1 - y0) * j) / ny);
  const z = ys.map((y) => xs.map((x) => f(x, y)));
  return options.levels.map((level) => ({ level, lines: chain(segmentsAt(level, xs, ys, z)) }));
}

type Segment = { a: string; b: string; pa: Point; pb: Point };

function segmentsAt(level: number, xs: number[], ys: number[], z: number[][]): Segment[] {
  const out: Segment[] = [];
  const at = (i: number, j: number) => z[j]![i]!;
  // The point where the level crosses an edge of cell (i, j), and a key naming that edge globally.
  const cross = (i: number, j: number, edge: number): { key: string; p: Point } => {
    const [ia, ja, ib, jb, kind] =
      edge === 0
        ? [i, j, i + 1, j, 'h']
        : edge === 1
          ? [i + 1, j, i + 1, j + 1, 'v']
          : edge === 2
            ? [i, j + 1, i + 1, j + 1, 'h']
            : [i, j, i, j + 1, 'v'];
    const za = at(ia, ja);
    const zb = at(ib, jb);
    const t = za === zb ? 0.5 : (level - za) / (zb - za);
    const p: Point = [xs[ia]! + t * (xs[ib]! - xs[ia]!), ys[ja]! + t * (ys[jb]! - ys[ja]!)];
    return { key: `${kind}${ia},${ja}`, p };
  };
  for (let j = 0; j < ys.length - 1; j++) {
    for (let i = 0; i < xs.length - 1; i++) {
      const bl = at(i, j) > level ? 1 : 0;
      const br = at(i + 1, j) > level ? 2 : 0;
      const tr = at(i + 1, j + 1) > level ? 4 : 0;
      const tl = at(i, j + 1) > level ? 8 : 0;
      const index = bl | br | tr | tl;
      let pairs = SEGMENTS[index];
      if (index === 5 || index === 10) {
        const centreAbove = (at(i, j) + at(i + 1, j) + at(i + 1, j + 1) + at(i, j + 1)) / 4 > level;
        pairs =
          (index === 5) === centreAbove
            ? [
                [3, 2],
                [0, 1],
              ]
            : [
                [3, 0],
                [1, 2],
              ];
      }
      for (const [ea, eb] of pairs ?? []) {
        const a = cross(i, j, ea);
        const b = cross(i, j, eb);
        out.push({ a: a.key, b: b.key, pa: a.p, pb: b.p });
      }
    }
  }
  return out;
}

/** Joins segments that share an edge into polylines. */
function chain(segments: Segment[]): Point[][] {
  const byEdge = new Map<string, number[]>();
  segments.forEach((s, k) => {
    for (const key of [s.a, s.b]) byEdge.set(key, [...(byEdge.get(key) ?? []), k]);
  });
  const used = new Uint8Array(segments.length);
  const lines: Point[][] = [];
  const extend = (line: Point[], edge: string, forward: boolean) => {
    let current = edge;
    for (;;) {
      const next = (byEdge.get(current) ?? []).find((k) => !used[k]);
      if (next === undefined) return;
      used[next] = 1;
      const s = segments[next]!;
      const [point, key] = s.a === current ? [s.pb, s.b] : [s.pa, s.a];
      if (forward) line.push(point);
      else line.unshift(point);
      current = key;
    }
  };
  segments.forEach((s, k) => {
    if (used[k]) return;
    used[k] = 1;
    const line: Point[] = [s.pa, s.pb];
    extend(line, s.b, true);
    extend(line, s.a, false);
    lines.push(line);
  });
  return lines;
}
