import { describe, expect, it } from 'vitest';
import { Random } from './random';

const draw = (random: Random, n: number) => Array.from({ length: n }, () => random.nextUint32());

describe('Random', () => {
  it('repeats for the same seed and stream, differs across seeds and streams', () => {
    expect(draw(new Random(1, 0), 20)).toEqual(draw(new Random(1, 0), 20));
    expect(draw(new Random(1, 0), 20)).not.toEqual(draw(new Random(2, 0), 20));
    expect(draw(new Random(1, 0), 20)).not.toEqual(draw(new Random(1, 1), 20));
  });

  it('uniform is in [0, 1) with mean ~1/2; int(n) covers [0, n)', () => {
    const random = new Random(7);
    let sum = 0;
    const seen = new Set<number>();
    for (let i = 0; i < 20000; i++) {
      const u = random.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      const k = random.int(10);
      expect(Number.isInteger(k) && k >= 0 && k < 10).toBe(true);
      seen.add(k);
    }
    expect(sum / 20000).toBeCloseTo(0.5, 1);
    expect(seen.size).toBe(10);
  });

  it('normal has mean ~0 and std ~1; normalArray scales by std', () => {
    const values = new Random(3).normalArray(50000, 2);
    const mean = values.reduce((a, v) => a + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    expect(mean).toBeCloseTo(0, 1);
    expect(std / 2).toBeCloseTo(1, 1);
  });

  it('choice draws with replacement from [0, n); permutation is a permutation', () => {
    const picks = new Random(5).choice(60000, 128);
    expect(picks).toHaveLength(128);
    expect(Array.from(picks).every((i) => i >= 0 && i < 60000)).toBe(true);
    const small = new Random(5).choice(3, 100);
    expect(new Set(small).size).toBe(3);
    const perm = new Random(5).permutation(50);
    expect(Array.from(perm).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(perm)).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
