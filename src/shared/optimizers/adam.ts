import { EPSILON_TEX, GRAD, defineOptimizer, rateParam } from './descriptor';
import { EPSILON, Optimizer, type ParamArrays } from './optimizer';

/**
 * The book's Adam: t += 1; lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t);
 * m += (1 - beta1)(g - m); v += (1 - beta2)(g^2 - v); p -= lr_t * m / (sqrt(v) + 1e-7).
 * (tfjs's built-in Adam places epsilon differently, so it is not used.)
 */
export class Adam extends Optimizer {
  private t = 0;

  constructor(
    lr = 0.001,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
  ) {
    super(lr);
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

/** Adam's hyper-parameters besides the learning rate (AdamW's too). */
export const adamParams = {
  beta1: rateParam(0.9, { en: 'β1', 'zh-CN': 'β1' }),
  beta2: rateParam(0.999, { en: 'β2', 'zh-CN': 'β2' }),
};

/** Adam's step in TeX from t to the update of W (AdamW's too). */
export const ADAM_STEP_TEX = String.raw`t &\leftarrow t + 1, \quad \eta_t = \eta\,\frac{\sqrt{1 - \beta_2^{\,t}}}{1 - \beta_1^{\,t}} \\ m &\leftarrow m + (1 - \beta_1)\left(${GRAD} - m\right) \\ v &\leftarrow v + (1 - \beta_2)\left(${GRAD} \odot ${GRAD} - v\right) \\ W &\leftarrow W - \eta_t\,\frac{m}{\sqrt{v} + ${EPSILON_TEX}}`;

export const adam = defineOptimizer({
  name: 'Adam',
  label: { en: 'Momentum and AdaGrad combined', 'zh-CN': '融合了 Momentum 和 AdaGrad' },
  bookLr: 0.001,
  // The book's, Fig. 6-8 (ch06/optimizer_compare_naive.py).
  toyLr: 0.3,
  hyper: adamParams,
  formula: {
    tex: String.raw`\begin{aligned} ${ADAM_STEP_TEX} \end{aligned}`,
    caption: {
      en: "Adam: Momentum's average m and RMSprop's average v together, with the book's bias correction folded into the step size η_t.",
      'zh-CN': 'Adam：融合了 Momentum 的 m 与 RMSprop 的 v，并按书中的写法把偏置校正并入学习率 η_t。',
    },
    symbols: { lr: String.raw`\eta`, beta1: String.raw`\beta_1`, beta2: String.raw`\beta_2` },
  },
  color: '#d62728',
  stateArrays: 2,
  create: (s) => new Adam(s.lr, s.beta1, s.beta2),
});
