import { describe, expect, it } from 'vitest';
import { finiteExtent, niceCeil, niceFloor, niceRange, unionYAxis, yRangeFor } from './y-range';

describe('y range', () => {
  it('rounds axis ends to round numbers of their size, without float dust or -0', () => {
    expect([2.31, 0.83, 13, 0.3, 1].map((v) => niceCeil(v))).toEqual([2.5, 0.85, 15, 0.3, 1]);
    expect([2.31, -0.83, 0.023].map((v) => niceFloor(v))).toEqual([2, -0.85, 0.02]);
    expect(Object.is(niceCeil(-0.2, 0.5), 0)).toBe(true);
    expect(niceRange({ min: 0.02, max: 2.3 })).toEqual({ min: 0, max: 2.5 });
    expect(niceRange({ min: 2.11, max: 2.34 })).toEqual({ min: 2.1, max: 2.35 });
    // One value: a range around it all the same.
    expect(niceRange({ min: 2, max: 2 })).toEqual({ min: 2, max: 2.5 });
    expect(niceRange({ min: 0, max: 0 })).toEqual({ min: 0, max: 0.5 });
  });

  it('counts finite values only', () => {
    expect(finiteExtent([Number.NaN, Number.NEGATIVE_INFINITY, 3, 1, Number.POSITIVE_INFINITY])).toEqual({
      min: 1,
      max: 3,
    });
    expect(finiteExtent([Number.NaN, Number.POSITIVE_INFINITY])).toBeNull();
    expect(yRangeFor([[Number.NaN], []], { min: 0, max: 1 }, true)).toEqual({ min: 0, max: 1 });
    expect(yRangeFor([[Number.NaN], []], null, false)).toBeNull();
  });

  it("widens the book's range only for a curve entirely outside it", () => {
    const book = { min: 0, max: 1 };
    expect(yRangeFor([[2.3, 0.9, 0.2]], book, false)).toEqual(book);
    expect(
      yRangeFor(
        [
          [2.3, 0.2],
          [2.4, 2.1],
        ],
        book,
        false,
      ),
    ).toEqual({ min: 0, max: 2.5 });
    expect(yRangeFor([[-0.3, -0.2]], book, false)).toEqual({ min: -0.3, max: 1 });
    expect(
      yRangeFor(
        [
          [2.3, 0.2],
          [2.4, 2.1],
        ],
        book,
        true,
      ),
    ).toEqual({ min: 0, max: 2.5 });
  });

  it("joins compared charts' axes where their ends are numbers", () => {
    const axis = (min: unknown, max: unknown) => ({ type: 'value', name: 'loss', min, max });
    expect(unionYAxis([axis(0, 1), axis(0, 2.5), axis(-0.5, 1)])).toEqual(axis(-0.5, 2.5));
    expect(unionYAxis([axis(0, undefined), axis(0, 3)])).toEqual(axis(0, undefined));
    expect(unionYAxis([axis(0, 1)])).toEqual(axis(0, 1));
  });
});
