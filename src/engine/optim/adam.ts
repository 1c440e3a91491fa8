import { EPSILON, Optimizer, type ParamArrays } from './optimizer';

/**
 * The book's Adam: t += 1; lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t);
 * m += (1 - beta1)(g - m); v += (1 - beta2)(g^2 - v); p -= lr_t * m / (sqrt(v) + 1e-7).
 * (tfjs's built-in Adam places epsilon differently, so it is not used.)
 */
export class Adam extends Optimizer {
  private t = 0;
  constructor(
    readonly lr = 0.001,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
  ) {
    super();
  }
  update(params: ParamArrays, grads: ParamArrays): void {
    this.t += 1;
    const lrT = (this.lr * Math.sqrt(1 - this.beta2 ** this.t)) / (1 - this.beta1 ** this.t);
    const { beta1, beta2 } = this;
    for (const [key, p] of Object.entries(params)) {
      const g = grads[key]!;
      const m = this.slot('m', key, p);
      const v = this.slot('v', key, p);
      for (let i = 0, n = p.length; i < n; i++) {
        const gi = g[i]!;
        m[i]! += (1 - beta1) * (gi - m[i]!);
        v[i]! += (1 - beta2) * (gi * gi - v[i]!);
        p[i]! -= (lrT * m[i]!) / (Math.sqrt(v[i]!) + EPSILON);
      }
    }
  }
}
