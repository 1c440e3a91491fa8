import type { ConceptFormula } from './slot';

/*
 * Formulas several slots share: the weight init stds of §6.2 (src/engine/nn/init.ts). The update rules
 * of §6.1 are each optimizer's own (OPTIMIZER_FORMULAS, src/shared/optimizers). The slot tests render
 * every formula with KaTeX.
 */

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
