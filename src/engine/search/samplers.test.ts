import { describe, expect, it } from 'vitest';
import { Random } from '../random';
import { GridSampler, gridSide } from './grid-sampler';
import { ParzenEstimator, normalCdf } from './parzen';
import { RandomSampler } from './random-sampler';
import { type Sampler, type SearchDimension, type UnitPoint, valueAt } from './search-space';
import { TPE_STARTUP_TRIALS, TpeSampler } from './tpe-sampler';

const unit = (name: string): SearchDimension => ({ name, min: 0, max: 1, scale: 'linear' });

/** Runs a search as the engine does: a round of the sampler's size, then its results told. */
function search(sampler: Sampler, trials: number, objective: (point: UnitPoint) => number): number[] {
  const values: number[] = [];
  while (values.length < trials) {
    const round = Array.from({ length: Math.min(sampler.roundSize, trials - values.length) }, () => sampler.ask());
    for (const point of round) {
      for (const u of point) expect(u >= 0 && u <= 1).toBe(true);
      const value = objective(point);
      values.push(value);
      sampler.tell(point, value);
    }
  }
  return values;
}

const best = (values: number[]) => Math.max(...values.filter((v) => !Number.isNaN(v)));
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The mean over 20 seeds of the best value found in `trials` trials. */
function meanBest(make: (random: Random) => Sampler, trials: number, objective: (point: UnitPoint) => number) {
  return mean(Array.from({ length: 20 }, (_, seed) => best(search(make(new Random(seed + 1, 7)), trials, objective))));
}

// 1-D: a narrow peak at 0.73 (the best value 0). 2-D: Branin (minimum 0.397887 at three points), maximised negated.
const peak = ([x]: UnitPoint) => -((x! - 0.73) ** 2);
const branin = ([u, v]: UnitPoint) => {
  const [x, y] = [-5 + 15 * u!, 15 * v!];
  const b = 5.1 / (4 * Math.PI ** 2);
  return -((y - b * x * x + (5 / Math.PI) * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10);
};

describe('search space', () => {
  it('maps unit positions to values as the book samples: 10^U(log10 min, log10 max), or linearly', () => {
    const lr: SearchDimension = { name: 'lr', min: 1e-6, max: 1e-2, scale: 'log' };
    expect(valueAt(lr, 0)).toBeCloseTo(1e-6, 15);
    expect(valueAt(lr, 0.5)).toBeCloseTo(1e-4, 12);
    expect(valueAt(lr, 1)).toBeCloseTo(1e-2, 12);
    expect(valueAt({ name: 'p', min: 0.1, max: 0.5, scale: 'linear' }, 0.25)).toBeCloseTo(0.2, 12);
  });
});

describe('grid sampler', () => {
  it('100 trials over two dimensions: the 10 x 10 grid, ends included, each point once, shuffled', () => {
    const sampler = new GridSampler([unit('a'), unit('b')], 100, new Random(1));
    const points = Array.from({ length: 100 }, () => sampler.ask());
    expect(new Set(points.map((p) => p.join())).size).toBe(100);
    const ticks = [...new Set(points.map((p) => p[0]!))].sort((a, b) => a - b);
    expect(ticks).toHaveLength(10);
    expect(ticks[0]).toBe(0);
    expect(ticks.at(-1)).toBe(1);
    expect(ticks[1]).toBeCloseTo(1 / 9, 12);
    expect(points.slice(0, 10).map((p) => p[0])).not.toEqual([...points.slice(0, 10).map((p) => p[0])].sort());
  });

  it('fewer trials than grid points: the smallest grid with room, as many distinct points as trials', () => {
    expect([gridSide(1, 2), gridSide(4, 2), gridSide(5, 2), gridSide(1000, 3), gridSide(7, 1)]).toEqual([
      1, 2, 3, 10, 7,
    ]);
    const sampler = new GridSampler([unit('a'), unit('b')], 7, new Random(1));
    const points = Array.from({ length: 7 }, () => sampler.ask());
    expect(new Set(points.map((p) => p.join())).size).toBe(7);
    for (const p of points) for (const u of p) expect([0, 0.5, 1]).toContain(u);
    expect(new GridSampler([unit('a')], 1, new Random(1)).ask()).toEqual([0.5]);
  });
});

describe('Parzen estimator', () => {
  it('is a density on [0, 1] whose samples stay inside and crowd around the observations', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 4);
    // Widths shrink as observations grow in number (at least 1 / (n + 2)): 16 of 17 crowd near 0.22.
    const estimator = new ParzenEstimator([...Array.from({ length: 16 }, (_, i) => 0.18 + i * 0.005), 0.9]);
    const n = 2000;
    const integral =
      Array.from({ length: n }, (_, i) => Math.exp(estimator.logDensity((i + 0.5) / n))).reduce((a, b) => a + b) / n;
    expect(integral).toBeCloseTo(1, 3);
    const random = new Random(3);
    const draws = Array.from({ length: 2000 }, () => estimator.sample(random));
    for (const x of draws) expect(x >= 0 && x <= 1).toBe(true);
    const near = draws.filter((x) => x > 0.1 && x < 0.35).length / draws.length;
    expect(near).toBeGreaterThan(0.6);
    expect(estimator.logDensity(0.21)).toBeGreaterThan(estimator.logDensity(0.6) + 1);
    expect(new ParzenEstimator([]).logDensity(0.3)).toBeCloseTo(0, 1);
  });
});

describe('TPE sampler', () => {
  it("starts with the random sampler's draws, then proposes in rounds of the same size", () => {
    const dims = [unit('a'), unit('b')];
    const tpe = new TpeSampler(dims, new Random(5, 9));
    const random = new RandomSampler(dims, new Random(5, 9));
    expect(tpe.roundSize).toBe(TPE_STARTUP_TRIALS);
    expect(Array.from({ length: TPE_STARTUP_TRIALS }, () => tpe.ask())).toEqual(
      Array.from({ length: TPE_STARTUP_TRIALS }, () => random.ask()),
    );
  });

  it('finds a 1-D peak better than random search at equal trials, and its late proposals gather there', () => {
    const trials = 40;
    const tpe = meanBest((random) => new TpeSampler([unit('x')], random), trials, peak);
    const random = meanBest((r) => new RandomSampler([unit('x')], r), trials, peak);
    expect(tpe).toBeGreaterThan(random);
    const sampler = new TpeSampler([unit('x')], new Random(11, 7));
    const proposals: number[] = [];
    search(sampler, trials, (point) => (proposals.push(point[0]!), peak(point)));
    const distance = (xs: number[]) => mean(xs.map((x) => Math.abs(x - 0.73)));
    expect(distance(proposals.slice(-10))).toBeLessThan(distance(proposals.slice(0, 10)) / 3);
  });

  it('beats random search on Branin at equal trials (mean of the best over 20 seeds)', () => {
    const dims = [unit('x'), unit('y')];
    const tpe = meanBest((random) => new TpeSampler(dims, random), 60, branin);
    const random = meanBest((r) => new RandomSampler(dims, r), 60, branin);
    expect(tpe).toBeGreaterThan(random);
    expect(tpe).toBeGreaterThan(-0.397887 - 1);
  });

  it('ranks a diverged trial (NaN) below every other and still proposes inside the range', () => {
    const sampler = new TpeSampler([unit('x')], new Random(2));
    const values = search(sampler, 30, ([x]) => (x! > 0.5 ? NaN : -((x! - 0.3) ** 2)));
    expect(values.slice(TPE_STARTUP_TRIALS).filter(Number.isNaN).length).toBeLessThan(10);
  });
});
