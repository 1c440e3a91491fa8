import type { FormValues, RecipesValue } from './param-form';

/**
 * The edits of a list of recipes (the workbench's variants): add, duplicate, remove, move. Each gives a
 * new list; names stay unique, as the schema asks.
 */

const nameOf = (recipe: FormValues): string => (typeof recipe.name === 'string' ? recipe.name.trim() : '');

/** `base`, or `base 2`, `base 3`, ... : the first that no recipe is named. */
export function uniqueName(base: string, recipes: readonly FormValues[]): string {
  const taken = new Set(recipes.map(nameOf));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base} ${n}`)) n++;
  return `${base} ${n}`;
}

/** The form values, copied deep (they are plain text, booleans and objects of them). */
const copy = (recipe: FormValues): FormValues => JSON.parse(JSON.stringify(recipe)) as FormValues;

/** A new recipe at the end. */
export const withRecipe = (value: RecipesValue, recipe: FormValues): RecipesValue => ({
  recipes: [...value.recipes, recipe],
});

/** A copy of recipe `index` right after it, named `name` (made unique). */
export function duplicateRecipe(value: RecipesValue, index: number, name: string): RecipesValue {
  const source = value.recipes[index];
  if (!source) return value;
  const recipes = [...value.recipes];
  recipes.splice(index + 1, 0, { ...copy(source), name: uniqueName(name, value.recipes) });
  return { recipes };
}

export const removeRecipe = (value: RecipesValue, index: number): RecipesValue => ({
  recipes: value.recipes.filter((_, i) => i !== index),
});

/** Recipe `index` moved by `delta` places (-1: up), or the list as it is when it cannot move. */
export function moveRecipe(value: RecipesValue, index: number, delta: number): RecipesValue {
  const to = index + delta;
  if (to < 0 || to >= value.recipes.length || !value.recipes[index]) return value;
  const recipes = [...value.recipes];
  const [moved] = recipes.splice(index, 1);
  recipes.splice(to, 0, moved!);
  return { recipes };
}

/** Recipe `index` replaced by `recipe` (a field of it edited). */
export function replaceRecipe(value: RecipesValue, index: number, recipe: FormValues): RecipesValue {
  return { recipes: value.recipes.map((r, i) => (i === index ? recipe : r)) };
}
