import type { Random } from '../random';

/*
 * The Parzen estimator of the tree-structured Parzen estimator (Bergstra et al. 2011, as hyperopt's
 * adaptive_parzen_normal builds it) on the unit interval: a Gaussian at every observed position plus
 * a broad prior, each truncated to [0, 1].
 */

/** The prior component: centred, as wide as the interval. */
const PRIOR_MU = 0.5;
const PRIOR_SIGMA = 1;

interface Component {
  mu: number;
  sigma: number;
  /** Its probability mass inside [0, 1], which truncation divides by. */
  mass: number;
}

export class ParzenEstimator {
  private readonly components: Component[];

  /**
   * Each observation's width is the larger gap to its neighbours (at either end: the gap across two),
   * clipped to [1 / min(100, n + 2), 1]: narrow where observations crowd, never a spike.
   */
  constructor(observed: readonly number[]) {
    const mus = [...observed, PRIOR_MU].sort((a, b) => a - b);
    const minSigma = PRIOR_SIGMA / Math.min(100, mus.length + 1);
    let priorPlaced = false;
    this.components = mus.map((mu, i) => {
      if (mu === PRIOR_MU && !priorPlaced) {
        priorPlaced = true;
        return component(PRIOR_MU, PRIOR_SIGMA);
      }
      return component(mu, Math.min(PRIOR_SIGMA, Math.max(minSigma, neighbourGap(mus, i))));
    });
  }

  /** A position drawn from the mixture (equal weights), inside [0, 1]. */
  sample(random: Random): number {
    const { mu, sigma } = this.components[random.int(this.components.length)]!;
    for (;;) {
      const x = mu + sigma * random.normal();
      if (x >= 0 && x <= 1) return x;
    }
  }

  /** The mixture's log density at x in [0, 1]. */
  logDensity(x: number): number {
    let sum = 0;
    for (const { mu, sigma, mass } of this.components) {
      const z = (x - mu) / sigma;
      sum += Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI) * mass);
    }
    return Math.log(sum / this.components.length);
  }
}

/** hyperopt's width of the i-th of the sorted positions (the prior among them). */
function neighbourGap(mus: readonly number[], i: number): number {
  const last = mus.length - 1;
  if (last === 0) return PRIOR_SIGMA;
  const across = last >= 2 ? 2 : 1;
  if (i === 0) return mus[across]! - mus[0]!;
  if (i === last) return mus[last]! - mus[last - across]!;
  return Math.max(mus[i]! - mus[i - 1]!, mus[i + 1]! - mus[i]!);
}

function component(mu: number, sigma: number): Component {
  return { mu, sigma, mass: normalCdf((1 - mu) / sigma) - normalCdf(-mu / sigma) };
}

/** Φ(z), the standard normal's cumulative distribution (Abramowitz and Stegun 7.1.26 for erf, error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return 0.5 * (1 + (z >= 0 ? erf : -erf));
}
