import { EPSILON_TEX, GRAD, defineOptimizer, rateParam } from './descriptor';
import { EPSILON, Optimizer, type ParamArrays } from './optimizer';

/** h = decay * h + (1 - decay) * g * g; p -= lr * g / (sqrt(h) + 1e-7) */
export class RMSprop extends Optimizer {
  constructor(
    lr = 0.01,
    readonly decayRate = 0.99,
  ) {
    super(lr);
  }

  update(params: ParamArrays, grads: ParamArrays): void {
    const { lr, decayRate: d } = this;
    for (const [key, p] of Object.entries(params)) {
      const g = grads[key]!;
      const h = this.slot('h', key, p);
      for (let i = 0, n = p.length; i < n; i++) {
        h[i] = d * h[i]! + (1 - d) * g[i]! * g[i]!;
        p[i]! -= (lr * g[i]!) / (Math.sqrt(h[i]!) + EPSILON);
      }
    }
  }
}

export const rmsprop = defineOptimizer({
  name: 'RMSprop',
  label: { en: 'AdaGrad that forgets old gradients', 'zh-CN': '逐渐遗忘过去梯度的 AdaGrad' },
  bookLr: 0.01,
  // With decay 0.99 its first step is then 1 along both axes, like the others' at their rates.
  toyLr: 0.1,
  hyper: { decayRate: rateParam(0.99, { en: 'decay rate', 'zh-CN': '衰减率' }) },
  formula: {
    tex: String.raw`\begin{aligned} h &\leftarrow \rho\,h + (1 - \rho)\,${GRAD} \odot ${GRAD} \\ W &\leftarrow W - \eta\,\frac{1}{\sqrt{h} + ${EPSILON_TEX}}\,${GRAD} \end{aligned}`,
    caption: {
      en: 'RMSprop: like AdaGrad, but h is a moving average with decay rate ρ, so old gradients are gradually forgotten.',
      'zh-CN': 'RMSprop：与 AdaGrad 相同，但 h 是衰减率为 ρ 的指数移动平均，逐渐遗忘过去的梯度。',
    },
    symbols: { lr: String.raw`\eta`, decayRate: String.raw`\rho` },
  },
  color: '#8c564b',
  stateArrays: 1,
  create: (s) => new RMSprop(s.lr, s.decayRate),
});
