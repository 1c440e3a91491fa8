import { Optimizer, type ParamArrays } from './optimizer';

/** p -= lr * g */
export class SGD extends Optimizer {
  constructor(readonly lr = 0.01) {
    super();
  }
  update(params: ParamArrays, grads: ParamArrays): void {
    for (const [key, p] of Object.entries(params)) {
      const g = grads[key]!;
      for (let i = 0; i < p.length; i++) p[i]! -= this.lr * g[i]!;
    }
  }
}
