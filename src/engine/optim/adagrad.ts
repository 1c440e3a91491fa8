import { EPSILON, Optimizer, type ParamArrays } from './optimizer';

/** h += g * g; p -= lr * g / (sqrt(h) + 1e-7) */
export class AdaGrad extends Optimizer {
  constructor(readonly lr = 0.01) {
    super();
  }
  update(params: ParamArrays, grads: ParamArrays): void {
    const lr = this.lr;
    for (const [key, p] of Object.entries(params)) {
      const g = grads[key]!;
      const h = this.slot('h', key, p);
      for (let i = 0, n = p.length; i < n; i++) {
        h[i]! += g[i]! * g[i]!;
        p[i]! -= (lr * g[i]!) / (Math.sqrt(h[i]!) + EPSILON);
      }
    }
  }
}
