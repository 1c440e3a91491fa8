import { describe, expect, it } from 'vitest';
import { EXPERIMENT_IDS, slotOf } from '../shared/experiments';
import { OPTIMIZER_NAMES } from '../shared/optimizers';
import { BATCH_NORM_EPSILON } from './nn/batch-norm';
import { EPSILON } from './optim/optimizer';

/* The concept panels' formulas (src/shared/slots) write the engine's own constants. */
describe('the formulas and the engine agree', () => {
  const tex = (id: (typeof EXPERIMENT_IDS)[number]) => slotOf(id).concept.formulas.map((f) => f.tex);

  it('writes the optimizers’ constant as the engine’s EPSILON', () => {
    expect(EPSILON).toBe(1e-7);
    const rules = tex('optimizers-mnist');
    expect(rules).toHaveLength(OPTIMIZER_NAMES.length);
    expect(rules.filter((t) => t.includes('\\sqrt{h} + 10^{-7}') || t.includes('\\sqrt{v} + 10^{-7}'))).toHaveLength(3);
    expect(tex('optimizer-paths')).toEqual(expect.arrayContaining(rules));
  });

  it('writes Batch Norm’s epsilon as the engine’s', () => {
    expect(BATCH_NORM_EPSILON).toBe(1e-6);
    expect(tex('batch-norm').some((t) => t.includes('\\varepsilon = 10^{-6}'))).toBe(true);
  });
});
