import { describe, expect, it } from 'vitest';
import katex from 'katex';
import { EXPERIMENT_IDS, defaultParams, parseParams, slotOf } from '../experiments';
import { OPTIMIZER_NAMES } from '../optimizers';
import { flattenParams } from '../param-diff';
import { LOCALES } from './slot';

/** Every parameter path a slot's form can set: its defaults, with every optimizer selected where it lists them. */
function paramPaths(id: (typeof EXPERIMENT_IDS)[number]): Set<string> {
  const defaults = defaultParams(id) as Record<string, unknown>;
  const all = 'optimizers' in defaults ? parseParams(id, { ...defaults, optimizers: [...OPTIMIZER_NAMES] }) : defaults;
  return new Set([...flattenParams(defaults).keys(), ...flattenParams(all).keys()]);
}

const render = (tex: string) => katex.renderToString(tex, { throwOnError: true, strict: 'error' });

describe.each(EXPERIMENT_IDS)('the concept of %s', (id) => {
  const concept = slotOf(id).concept;
  const paths = paramPaths(id);

  it('has formulas that KaTeX typesets without an error', () => {
    expect(concept.formulas.length).toBeGreaterThan(0);
    for (const formula of concept.formulas) {
      const html = render(formula.tex);
      expect(html, formula.tex).toContain('class="katex"');
      expect(html, formula.tex).not.toContain('katex-error');
      for (const symbol of formula.symbols ?? []) render(symbol.symbol);
    }
  });

  it('ties every symbol to a parameter of its form', () => {
    for (const symbol of concept.formulas.flatMap((f) => f.symbols ?? [])) {
      expect(paths, `${symbol.symbol} -> ${symbol.param}`).toContain(symbol.param);
    }
  });

  it('says everything in every language', () => {
    for (const locale of LOCALES) {
      for (const formula of concept.formulas) expect(formula.caption[locale].length).toBeGreaterThan(0);
      expect(concept.lookFor[locale].length).toBeGreaterThan(20);
      for (const step of concept.steps ?? []) expect(step.text[locale].length).toBeGreaterThan(0);
    }
  });
});

describe('the search', () => {
  it('numbers the search’s steps as the book does, from 0 (step 4, the test data, after the run)', () => {
    const steps = slotOf('hyperparameter-search').concept.steps ?? [];
    expect(steps.map((s) => [s.n, s.when])).toEqual([
      [0, 'idle'],
      [1, 'running'],
      [2, 'running'],
      [3, 'ended'],
      [4, 'ended'],
    ]);
  });
});
