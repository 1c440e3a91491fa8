import { GRAD, defineOptimizer } from './descriptor';
import { momentumParam } from './momentum';
import { Optimizer, type ParamArrays } from './optimizer';

/** v = momentum * v - lr * g; p += momentum^2 * v - (1 + momentum) * lr * g (the book's form of NAG). */
export class Nesterov extends Optimizer {
  constructor(
    lr = 0.01,
    readonly momentum = 0.9,
  ) {
    super(lr);
  }

  update(params: ParamArrays, grads: ParamArrays): void {
    const { lr, momentum: m } = this;
    for (const [key, p] of Object.entries(params)) {
      const g = grads[key]!;
      const v = this.slot('v', key, p);
      for (let i = 0, n = p.length; i < n; i++) {
        v[i] = m * v[i]! - lr * g[i]!;
        p[i]! += m * m * v[i]! - (1 + m) * lr * g[i]!;
      }
    }
  }
}

export const nesterov = defineOptimizer({
  name: 'Nesterov',
  label: { en: 'momentum with a look-ahead', 'zh-CN': '带“前瞻”的动量' },
  bookLr: 0.01,
  // Momentum's, so that the two compare directly.
  toyLr: 0.1,
  hyper: { momentum: momentumParam },
  formula: {
    tex: String.raw`\begin{aligned} v &\leftarrow \alpha v - \eta\,${GRAD} \\ W &\leftarrow W + \alpha^2 v - (1 + \alpha)\,\eta\,${GRAD} \end{aligned}`,
    caption: {
      en: "Nesterov's accelerated gradient in the form of the book's common/optimizer.py: the step looks ahead along the velocity.",
      'zh-CN': 'Nesterov 加速梯度法，采用书中 common/optimizer.py 的写法：沿速度方向“向前看”一步再更新。',
    },
    symbols: { lr: String.raw`\eta`, momentum: String.raw`\alpha` },
  },
  color: '#9467bd',
  stateArrays: 1,
  create: (s) => new Nesterov(s.lr, s.momentum),
});
