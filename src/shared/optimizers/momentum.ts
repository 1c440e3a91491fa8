import { GRAD, defineOptimizer, rateParam } from './descriptor';
import { Optimizer, type ParamArrays } from './optimizer';

/** v = momentum * v - lr * g; p += v */
export class Momentum extends Optimizer {
  constructor(
    lr = 0.01,
    readonly momentum = 0.9,
  ) {
    super(lr);
  }

  update(params: ParamArrays, grads: ParamArrays): void {
    const { lr, momentum } = this;
    for (const [key, p] of Object.entries(params)) {
      const g = grads[key]!;
      const v = this.slot('v', key, p);
      for (let i = 0, n = p.length; i < n; i++) {
        v[i] = momentum * v[i]! - lr * g[i]!;
        p[i]! += v[i]!;
      }
    }
  }
}

/** The momentum α of Momentum and Nesterov. */
export const momentumParam = rateParam(0.9, { en: 'momentum', 'zh-CN': '动量系数' });

export const momentum = defineOptimizer({
  name: 'Momentum',
  label: { en: 'velocity that keeps rolling', 'zh-CN': '动量，像小球在斜面上滚动' },
  bookLr: 0.01,
  // The book's, Fig. 6-8 (ch06/optimizer_compare_naive.py).
  toyLr: 0.1,
  hyper: { momentum: momentumParam },
  formula: {
    tex: String.raw`\begin{aligned} v &\leftarrow \alpha v - \eta\,${GRAD} \\ W &\leftarrow W + v \end{aligned}`,
    caption: {
      en: 'Momentum: the velocity v keeps a fraction α of the last step, like a ball rolling down the slope.',
      'zh-CN': 'Momentum（动量）：速度 v 保留上一步的 α 倍，就像小球在斜面上滚动。',
    },
    symbols: { lr: String.raw`\eta`, momentum: String.raw`\alpha` },
  },
  color: '#ff7f0e',
  stateArrays: 1,
  create: (s) => new Momentum(s.lr, s.momentum),
});
