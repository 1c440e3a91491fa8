import { GRAD, defineOptimizer } from './descriptor';
import { Optimizer, type ParamArrays } from './optimizer';

/** p -= lr * g */
export class SGD extends Optimizer {
  constructor(lr = 0.01) {
    super(lr);
  }

  update(params: ParamArrays, grads: ParamArrays): void {
    const lr = this.lr;
    for (const [key, p] of Object.entries(params)) {
      const g = grads[key]!;
      for (let i = 0, n = p.length; i < n; i++) p[i]! -= lr * g[i]!;
    }
  }
}

export const sgd = defineOptimizer({
  name: 'SGD',
  label: { en: 'stochastic gradient descent', 'zh-CN': '随机梯度下降' },
  bookLr: 0.01,
  // The book's, Fig. 6-8 (ch06/optimizer_compare_naive.py).
  toyLr: 0.95,
  hyper: {},
  formula: {
    tex: String.raw`W \leftarrow W - \eta\,${GRAD}`,
    caption: {
      en: 'SGD: step against the gradient, scaled by the learning rate η.',
      'zh-CN': 'SGD（随机梯度下降法）：沿梯度的反方向前进，步长由学习率 η 决定。',
    },
    symbols: { lr: String.raw`\eta` },
  },
  color: '#1f77b4',
  stateArrays: 0,
  create: (s) => new SGD(s.lr),
});
