import { z } from 'zod';
import { ADAM_STEP_TEX, Adam, adamParams } from './adam';
import { defineOptimizer } from './descriptor';
import type { ParamArrays } from './optimizer';

/**
 * AdamW (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization"; PyTorch's
 * torch.optim.AdamW): p -= lr * weight_decay * p, then the book's Adam step (the same bias-corrected
 * lr_t and 1e-7). The decay shrinks the weights directly, apart from the gradient; the book's weight
 * decay (§6.4.1) adds lambda * W to the gradient instead, which Adam's v then rescales.
 */
export class AdamW extends Adam {
  constructor(
    lr = 0.001,
    beta1 = 0.9,
    beta2 = 0.999,
    readonly weightDecay = 0.01,
  ) {
    super(lr, beta1, beta2);
  }

  override update(params: ParamArrays, grads: ParamArrays): void {
    const decay = this.lr * this.weightDecay;
    for (const p of Object.values(params)) {
      for (let i = 0, n = p.length; i < n; i++) p[i]! -= decay * p[i]!;
    }
    super.update(params, grads);
  }
}

export const adamW = defineOptimizer({
  name: 'AdamW',
  label: { en: 'Adam with decoupled weight decay', 'zh-CN': '带解耦权重衰减的 Adam' },
  // PyTorch's default (torch.optim.AdamW), the book's Adam's too.
  bookLr: 0.001,
  // Adam's: the decay (0.3 x 0.01 of the position per step) pulls the path a little towards (0, 0).
  toyLr: 0.3,
  hyper: {
    ...adamParams,
    weightDecay: {
      schema: z.number().min(0).max(10).default(0.01).meta({ label: 'weight decay' }),
      label: { en: 'weight decay', 'zh-CN': '权重衰减系数' },
    },
  },
  formula: {
    tex: String.raw`\begin{aligned} W &\leftarrow W - \eta\,\lambda\,W \\ ${ADAM_STEP_TEX} \end{aligned}`,
    caption: {
      en: 'AdamW (Loshchilov & Hutter 2019, PyTorch’s AdamW): each step first shrinks W by ηλW, then takes Adam’s step. The decay is decoupled from the gradient: the book’s weight decay (§6.4.1) adds λW to the gradient instead, where Adam’s v rescales it.',
      'zh-CN':
        'AdamW（Loshchilov & Hutter 2019，即 PyTorch 的 AdamW）：每一步先把 W 缩小 ηλW，再执行 Adam 的更新。权重衰减与梯度解耦：书中的权值衰减（6.4.1 节）则是把 λW 加到梯度上，其大小会被 Adam 的 v 重新缩放。',
    },
    symbols: {
      lr: String.raw`\eta`,
      beta1: String.raw`\beta_1`,
      beta2: String.raw`\beta_2`,
      weightDecay: String.raw`\lambda`,
    },
  },
  // matplotlib's tab:pink (tab:brown is RMSprop's).
  color: '#e377c2',
  stateArrays: 2,
  create: (s) => new AdamW(s.lr, s.beta1, s.beta2, s.weightDecay),
});
