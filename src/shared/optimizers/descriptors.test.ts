import { describe, expect, it } from 'vitest';
import { LOCALES } from '../locale';
import { EPSILON_TEX, type HyperParams } from './descriptor';
import {
  EPSILON,
  OPTIMIZERS,
  OPTIMIZER_BY_NAME,
  OPTIMIZER_COLORS,
  OPTIMIZER_FORMULAS,
  OPTIMIZER_NAMES,
  TOY_LEARNING_RATES,
  defaultOptimizer,
  optimizerFieldLabels,
  optimizerLabels,
  optimizerSpec,
} from './index';

/* The one list of optimizers and what the lab derives from it. */
describe('the optimizers list', () => {
  it('names each optimizer once, the book’s six first in common/optimizer.py’s order', () => {
    expect(new Set(OPTIMIZER_NAMES).size).toBe(OPTIMIZERS.length);
    expect(OPTIMIZER_NAMES.slice(0, 6)).toEqual(['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSprop', 'Adam']);
    for (const d of OPTIMIZERS) expect(OPTIMIZER_BY_NAME[d.name]).toBe(d);
  });

  it.each(OPTIMIZERS.map((d) => [d.name, d] as const))('%s says everything in every language', (_name, d) => {
    for (const locale of LOCALES) {
      expect(d.label[locale].length).toBeGreaterThan(0);
      expect(d.formula.caption[locale].length).toBeGreaterThan(0);
      for (const p of Object.values(d.hyper as HyperParams)) expect(p.label[locale].length).toBeGreaterThan(0);
    }
    expect(optimizerLabels('en')[d.name]).toBe(d.label.en);
    expect(optimizerLabels('zh-CN')[d.name]).toBe(d.label['zh-CN']);
  });

  it('gives every optimizer its own colour', () => {
    const colors = Object.values(OPTIMIZER_COLORS);
    expect(colors).toHaveLength(OPTIMIZERS.length);
    expect(new Set(colors).size).toBe(colors.length);
    for (const color of colors) expect(color).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('labels a field shared by several optimizers the same in each', () => {
    for (const locale of LOCALES) {
      const labels = optimizerFieldLabels(locale);
      expect(labels.lr.length).toBeGreaterThan(0);
      for (const d of OPTIMIZERS) {
        for (const [field, p] of Object.entries(d.hyper as HyperParams)) {
          expect(labels[field as keyof typeof labels], `${d.name}.${field}`).toBe(p.label[locale]);
        }
      }
    }
  });

  it('ties each formula’s symbols to the learning rate and every hyper-parameter, in that order', () => {
    for (const d of OPTIMIZERS) {
      const params = OPTIMIZER_FORMULAS[d.name].symbols?.map((s) => s.param);
      const { name: _name, ...fields } = defaultOptimizer(d.name);
      expect(params).toEqual(['lr', ...Object.keys(d.hyper)].map((field) => `optimizers.${d.name}.${field}`));
      expect(Object.keys(fields).sort()).toEqual(['lr', ...Object.keys(d.hyper)].sort());
    }
  });

  it('writes the updates’ epsilon in TeX as the classes add it', () => {
    expect(EPSILON_TEX).toBe(`10^{${Math.log10(EPSILON)}}`);
  });

  it('takes the toy learning rates of Fig. 6-8 within the learning rate’s limits', () => {
    for (const d of OPTIMIZERS) {
      expect(TOY_LEARNING_RATES[d.name]).toBe(d.toyLr);
      expect(optimizerSpec.parse({ name: d.name, lr: d.toyLr }).lr).toBe(d.toyLr);
      expect(defaultOptimizer(d.name).lr).toBe(d.bookLr);
    }
  });

  it('creates each optimizer fresh, with its state arrays only after the first update', () => {
    for (const d of OPTIMIZERS) {
      const optimizer = d.create(defaultOptimizer(d.name) as never);
      expect(optimizer.state(), d.name).toEqual({});
      optimizer.update({ w: new Float64Array(2) }, { w: Float64Array.of(1, -1) });
      expect(Object.keys(optimizer.state()), d.name).toHaveLength(d.stateArrays);
    }
  });
});
