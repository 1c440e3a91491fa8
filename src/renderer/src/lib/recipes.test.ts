import { describe, expect, it } from 'vitest';
import type { RecipesValue } from './param-form';
import { duplicateRecipe, moveRecipe, removeRecipe, replaceRecipe, uniqueName, withRecipe } from './recipes';

const list: RecipesValue = {
  recipes: [
    { name: 'plain', hidden: '50,50' },
    { name: 'Batch Norm', batchNorm: true },
    { name: 'Batch Norm copy', batchNorm: true },
  ],
};
const names = (value: RecipesValue) => value.recipes.map((r) => r.name);

describe("the workbench's variant edits", () => {
  it('names a new variant uniquely', () => {
    expect(uniqueName('variant 4', list.recipes)).toBe('variant 4');
    expect(uniqueName('plain', list.recipes)).toBe('plain 2');
    expect(uniqueName('plain', [...list.recipes, { name: 'plain 2 ' }])).toBe('plain 3');
  });

  it('duplicates right after the original, with a name of its own and its own copy of the fields', () => {
    const next = duplicateRecipe(list, 1, 'Batch Norm copy');
    expect(names(next)).toEqual(['plain', 'Batch Norm', 'Batch Norm copy 2', 'Batch Norm copy']);
    expect(next.recipes[2]).toEqual({ name: 'Batch Norm copy 2', batchNorm: true });
    expect(next.recipes[2]).not.toBe(list.recipes[1]);
  });

  it('adds, removes, replaces and moves, and never moves past an end', () => {
    expect(names(withRecipe(list, { name: 'variant 4' }))).toHaveLength(4);
    expect(names(removeRecipe(list, 0))).toEqual(['Batch Norm', 'Batch Norm copy']);
    expect(replaceRecipe(list, 0, { name: 'x' }).recipes[0]).toEqual({ name: 'x' });
    expect(names(moveRecipe(list, 2, -1))).toEqual(['plain', 'Batch Norm copy', 'Batch Norm']);
    expect(names(moveRecipe(list, 0, 1))).toEqual(['Batch Norm', 'plain', 'Batch Norm copy']);
    expect(moveRecipe(list, 0, -1)).toBe(list);
    expect(moveRecipe(list, 2, 1)).toBe(list);
    expect(names(list)).toEqual(['plain', 'Batch Norm', 'Batch Norm copy']);
  });
});
