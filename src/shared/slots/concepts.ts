import type { OptimizerName } from '../optimizers';
import type { ConceptFormula } from './slot';

/*
 * Formulas several slots share: the six update rules of §6.1 exactly as src/engine/optim/ computes
 * them (the same constants: 1e-7 beside every square root, as common/optimizer.py), and the weight
 * init stds of §6.2 (src/engine/nn/init.ts). The slot tests render every formula with KaTeX.
 */

/** ∂L/∂W in TeX. */
export const GRAD = String.raw`\frac{\partial L}{\partial W}`;
/** The constant the engine adds beside every square root (engine/optim/optimizer.ts EPSILON). */
export const OPTIMIZER_EPSILON_TEX = '10^{-7}';

const lr = (name: OptimizerName) => ({ symbol: String.raw`\eta`, param: `optimizers.${name}.lr` });

/** One optimizer's update rule as its class in engine/optim/ computes it. */
export const OPTIMIZER_FORMULAS: Record<OptimizerName, ConceptFormula> = {
  SGD: {
    tex: String.raw`W \leftarrow W - \eta\,${GRAD}`,
    caption: {
      en: 'SGD: step against the gradient, scaled by the learning rate η.',
      'zh-CN': 'SGD（随机梯度下降法）：沿梯度的反方向前进，步长由学习率 η 决定。',
    },
    symbols: [lr('SGD')],
  },
  Momentum: {
    tex: String.raw`\begin{aligned} v &\leftarrow \alpha v - \eta\,${GRAD} \\ W &\leftarrow W + v \end{aligned}`,
    caption: {
      en: 'Momentum: the velocity v keeps a fraction α of the last step, like a ball rolling down the slope.',
      'zh-CN': 'Momentum（动量）：速度 v 保留上一步的 α 倍，就像小球在斜面上滚动。',
    },
    symbols: [lr('Momentum'), { symbol: String.raw`\alpha`, param: 'optimizers.Momentum.momentum' }],
  },
  Nesterov: {
    tex: String.raw`\begin{aligned} v &\leftarrow \alpha v - \eta\,${GRAD} \\ W &\leftarrow W + \alpha^2 v - (1 + \alpha)\,\eta\,${GRAD} \end{aligned}`,
    caption: {
      en: "Nesterov's accelerated gradient in the form of the book's common/optimizer.py: the step looks ahead along the velocity.",
      'zh-CN': 'Nesterov 加速梯度法，采用书中 common/optimizer.py 的写法：沿速度方向“向前看”一步再更新。',
    },
    symbols: [lr('Nesterov'), { symbol: String.raw`\alpha`, param: 'optimizers.Nesterov.momentum' }],
  },
  AdaGrad: {
    tex: String.raw`\begin{aligned} h &\leftarrow h + ${GRAD} \odot ${GRAD} \\ W &\leftarrow W - \eta\,\frac{1}{\sqrt{h} + ${OPTIMIZER_EPSILON_TEX}}\,${GRAD} \end{aligned}`,
    caption: {
      en: 'AdaGrad: h sums every squared gradient, so each weight’s step shrinks the more it has moved (learning-rate decay per weight; 1e-7 avoids dividing by 0).',
      'zh-CN':
        'AdaGrad：h 累加梯度的平方，变动越大的参数学习率衰减越多（为每个参数适当地调整学习率；1e-7 防止除以 0）。',
    },
    symbols: [lr('AdaGrad')],
  },
  RMSprop: {
    tex: String.raw`\begin{aligned} h &\leftarrow \rho\,h + (1 - \rho)\,${GRAD} \odot ${GRAD} \\ W &\leftarrow W - \eta\,\frac{1}{\sqrt{h} + ${OPTIMIZER_EPSILON_TEX}}\,${GRAD} \end{aligned}`,
    caption: {
      en: 'RMSprop: like AdaGrad, but h is a moving average with decay rate ρ, so old gradients are gradually forgotten.',
      'zh-CN': 'RMSprop：与 AdaGrad 相同，但 h 是衰减率为 ρ 的指数移动平均，逐渐遗忘过去的梯度。',
    },
    symbols: [lr('RMSprop'), { symbol: String.raw`\rho`, param: 'optimizers.RMSprop.decayRate' }],
  },
  Adam: {
    tex: String.raw`\begin{aligned} t &\leftarrow t + 1, \quad \eta_t = \eta\,\frac{\sqrt{1 - \beta_2^{\,t}}}{1 - \beta_1^{\,t}} \\ m &\leftarrow m + (1 - \beta_1)\left(${GRAD} - m\right) \\ v &\leftarrow v + (1 - \beta_2)\left(${GRAD} \odot ${GRAD} - v\right) \\ W &\leftarrow W - \eta_t\,\frac{m}{\sqrt{v} + ${OPTIMIZER_EPSILON_TEX}} \end{aligned}`,
    caption: {
      en: "Adam: Momentum's average m and RMSprop's average v together, with the book's bias correction folded into the step size η_t.",
      'zh-CN': 'Adam：融合了 Momentum 的 m 与 RMSprop 的 v，并按书中的写法把偏置校正并入学习率 η_t。',
    },
    symbols: [
      lr('Adam'),
      { symbol: String.raw`\beta_1`, param: 'optimizers.Adam.beta1' },
      { symbol: String.raw`\beta_2`, param: 'optimizers.Adam.beta2' },
    ],
  },
};

/** The std of the initial weights of a layer with n inputs, for std-normal, Xavier and He (engine/nn/init.ts). */
export function initStdFormulas(links: { sigma?: string; n?: string }): ConceptFormula[] {
  const n = links.n ? [{ symbol: 'n', param: links.n }] : [];
  return [
    {
      tex: String.raw`W \sim \mathcal{N}(0,\,\sigma^2)`,
      caption: {
        en: 'Std-normal init: Gaussian weights with a fixed std σ. σ = 1 pushes sigmoid outputs to 0 and 1 (gradients vanish); σ = 0.01 makes every unit output the same (little expressive power).',
        'zh-CN':
          '使用标准差为 σ 的高斯分布作为权重初始值。σ = 1 时 sigmoid 的输出偏向 0 和 1（梯度消失）；σ = 0.01 时各神经元输出几乎相同（表现力受限）。',
      },
      symbols: links.sigma ? [{ symbol: String.raw`\sigma`, param: links.sigma }] : [],
    },
    {
      tex: String.raw`\sigma_{\text{Xavier}} = \frac{1}{\sqrt{n}}`,
      caption: {
        en: 'Xavier init: with n inputs from the previous layer, std 1/√n keeps the spread of the activations from layer to layer. It assumes an activation that is linear near 0 and symmetric (sigmoid, tanh).',
        'zh-CN':
          'Xavier 初始值：前一层有 n 个节点时，使用标准差为 1/√n 的分布，各层激活值保持适当的广度。它以激活函数在 0 附近近似线性且左右对称为前提（sigmoid、tanh）。',
      },
      symbols: n,
    },
    {
      tex: String.raw`\sigma_{\text{He}} = \sqrt{\frac{2}{n}}`,
      caption: {
        en: 'He init: ReLU sets half of its inputs to 0, so the weights need twice the variance, std √(2/n), for the activations to keep their spread. It suits ReLU.',
        'zh-CN':
          'He 初始值：ReLU 的负值区域输出为 0，为了使激活值更有广度，需要 2 倍的系数，即标准差为 √(2/n)。它适用于 ReLU。',
      },
      symbols: n,
    },
  ];
}
