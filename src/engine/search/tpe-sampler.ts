import type { Random } from '../random';
import { ParzenEstimator } from './parzen';
import type { Sampler, SearchDimension, UnitPoint } from './search-space';

/** Trials drawn at random before the estimators have anything to go on (Optuna's n_startup_trials). */
export const TPE_STARTUP_TRIALS = 10;
/** Candidates drawn from the good trials' estimator per proposal (Optuna's n_ei_candidates). */
const CANDIDATES = 24;

/**
 * Bayesian optimisation by the tree-structured Parzen estimator (Bergstra et al. 2011), the method
 * §6.5.3 names as the more refined search. The trials told so far are split into the best few (γ:
 * Optuna's default, 10 % up to 25) and the rest; per dimension, a Parzen estimator of each group gives
 * l(x) and g(x); a proposal is the one of 24 draws from l with the highest l(x) / g(x), the expected
 * improvement's maximiser. Dimensions are independent (the paper's univariate TPE).
 *
 * The first TPE_STARTUP_TRIALS trials are the random sampler's (same draws), and trials are proposed
 * in rounds of that size: a round trains side by side, then tells its results.
 */
export class TpeSampler implements Sampler {
  readonly roundSize = TPE_STARTUP_TRIALS;
  private readonly told: { point: UnitPoint; value: number }[] = [];

  constructor(
    private readonly dimensions: readonly SearchDimension[],
    private readonly random: Random,
  ) {}

  ask(): UnitPoint {
    if (this.told.length < TPE_STARTUP_TRIALS) return this.dimensions.map(() => this.random.uniform());
    const ranked = [...this.told].sort((a, b) => score(b.value) - score(a.value));
    const goodCount = Math.min(Math.ceil(0.1 * ranked.length), 25);
    const [good, bad] = [ranked.slice(0, goodCount), ranked.slice(goodCount)];
    const estimators = this.dimensions.map((_, d) => ({
      good: new ParzenEstimator(good.map((t) => t.point[d]!)),
      bad: new ParzenEstimator(bad.map((t) => t.point[d]!)),
    }));
    let best: { point: UnitPoint; ratio: number } | undefined;
    for (let c = 0; c < CANDIDATES; c++) {
      const point = estimators.map((e) => e.good.sample(this.random));
      const ratio = point.reduce(
        (sum, x, d) => sum + estimators[d]!.good.logDensity(x) - estimators[d]!.bad.logDensity(x),
        0,
      );
      if (!best || ratio > best.ratio) best = { point, ratio };
    }
    return best!.point;
  }

  tell(point: UnitPoint, value: number): void {
    this.told.push({ point, value });
  }
}

/** A diverged trial (NaN) ranks below every finished one. */
const score = (value: number) => (Number.isNaN(value) ? -Infinity : value);
