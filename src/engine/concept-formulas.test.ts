import { describe, expect, it } from 'vitest';
import { EXPERIMENT_IDS, slotOf } from '../shared/experiments';
import { OPTIMIZERS } from '../shared/optimizers';
import { BATCH_NORM_EPSILON } from './nn/batch-norm';
import { EPSILON } from './optim';

/* The concept panels' formulas (src/shared/slots) write the engine's own constants. */
describe('the formulas and the engine agree', () => {
  const tex = (id: (typeof EXPERIMENT_IDS)[number]) => slotOf(id).concept.formulas.map((f) => f.tex);

  it('writes the optimizers’ constant as the engine’s EPSILON', () => {
    expect(EPSILON).toBe(1e-7);
    const rules = tex('optimizers-mnist');
    expect(rules).toEqual(OPTIMIZERS.map((d) => d.formula.tex));
    // Every square root of a state (AdaGrad's and RMSprop's h, Adam's v, ...) has the engine's epsilon beside it.
    const roots = rules.flatMap((t) => [...t.matchAll(/\\sqrt\{[hv]\}(.{0,10})/g)].map((m) => m[1]));
    expect(roots.length).toBeGreaterThan(0);
    for (const after of roots) expect(after).toMatch(/^ \+ 10\^\{-7\}/);
    expect(tex('optimizer-paths')).toEqual(expect.arrayContaining(rules));
  });

  it('writes Batch Norm’s epsilon as the engine’s', () => {
    expect(BATCH_NORM_EPSILON).toBe(1e-6);
    expect(tex('batch-norm').some((t) => t.includes('\\varepsilon = 10^{-6}'))).toBe(true);
  });
});
