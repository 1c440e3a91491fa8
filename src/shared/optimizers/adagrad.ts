import { EPSILON_TEX, GRAD, defineOptimizer } from './descriptor';
import { EPSILON, Optimizer, type ParamArrays } from './optimizer';

/** h += g * g; p -= lr * g / (sqrt(h) + 1e-7) */
export class AdaGrad extends Optimizer {
  constructor(lr = 0.01) {
    super(lr);
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

export const adaGrad = defineOptimizer({
  name: 'AdaGrad',
  label: { en: 'per-parameter learning rates that shrink', 'zh-CN': '为每个参数逐渐减小学习率' },
  bookLr: 0.01,
  // The book's, Fig. 6-8 (ch06/optimizer_compare_naive.py).
  toyLr: 1.5,
  hyper: {},
  formula: {
    tex: String.raw`\begin{aligned} h &\leftarrow h + ${GRAD} \odot ${GRAD} \\ W &\leftarrow W - \eta\,\frac{1}{\sqrt{h} + ${EPSILON_TEX}}\,${GRAD} \end{aligned}`,
    caption: {
      en: 'AdaGrad: h sums every squared gradient, so each weight’s step shrinks the more it has moved (learning-rate decay per weight; 1e-7 avoids dividing by 0).',
      'zh-CN':
        'AdaGrad：h 累加梯度的平方，变动越大的参数学习率衰减越多（为每个参数适当地调整学习率；1e-7 防止除以 0）。',
    },
    symbols: { lr: String.raw`\eta` },
  },
  color: '#2ca02c',
  stateArrays: 1,
  create: (s) => new AdaGrad(s.lr),
});
