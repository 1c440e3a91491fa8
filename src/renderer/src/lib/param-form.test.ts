import { describe, expect, it } from 'vitest';
import { defaultParams, paramsJsonSchema, parseParams } from '../../../shared/experiments';
import { PRESET_EXPERIMENTS, bookPreset } from '../../../shared/workbench-presets';
import {
  type FieldSpec,
  type FormValues,
  NUMBER_CHOICE,
  type RecipesValue,
  type VariantsValue,
  defaultFormValues,
  describeFields,
  formValuesFrom,
  localizeIssue,
  newRecipe,
  optimizerDefaults,
  paramsFrom,
  recipeIssues,
  recipeOfPath,
  validate,
} from './param-form';

const id = 'optimizers-mnist' as const;
const fields = describeFields(paramsJsonSchema(id));
const t = (key: string, named?: Record<string, unknown>) => `${key} ${JSON.stringify(named ?? {})}`;

describe('the generated parameter form', () => {
  it('gets a control per parameter from the JSON Schema', () => {
    expect(Object.fromEntries(fields.map((f) => [f.name, f.kind]))).toEqual({
      iterations: 'number',
      batchSize: 'number',
      hidden: 'numberList',
      activation: 'choice',
      init: 'numberOrChoice',
      lambda: 'number',
      optimizers: 'variants',
      sameStartWeights: 'boolean',
      lrSchedule: 'choice',
      lrEvery: 'number',
      lrFactor: 'number',
      insideEvery: 'number',
      seed: 'number',
    });
  });

  it("starts at the book's defaults and turns them back into the same parameters", () => {
    const values = defaultFormValues(id, fields);
    expect(values.hidden).toBe('100,100,100,100');
    expect((values.optimizers as VariantsValue).selected).toMatchObject({ SGD: true, Nesterov: false, Adam: true });
    expect((values.optimizers as VariantsValue).values.Nesterov).toEqual({ lr: '0.01', momentum: '0.9' });
    expect(validate(id, fields, values).params).toEqual(defaultParams(id));
  });

  it('reads a standard deviation for init and a list of sizes', () => {
    const values: FormValues = {
      ...defaultFormValues(id, fields),
      init: { choice: NUMBER_CHOICE, number: '0.01' },
      hidden: '50, 60',
    };
    expect(paramsFrom(fields, values)).toMatchObject({ init: 0.01, hidden: [50, 60] });
  });

  it('names each bad value by its path, with a message from what the schema allows', () => {
    const values: FormValues = { ...defaultFormValues(id, fields), iterations: '0', hidden: '100,abc', lambda: '' };
    const opt = values.optimizers as VariantsValue;
    values.optimizers = { ...opt, values: { ...opt.values, Adam: { ...opt.values.Adam, lr: '-1' } } };
    const { params, issues } = validate(id, fields, values);
    expect(params).toBeNull();
    expect(issues.map((i) => i.path).sort()).toEqual(['hidden.1', 'iterations', 'lambda', 'optimizers.Adam.lr']);
    const message = (path: string) =>
      localizeIssue(
        fields,
        values,
        issues.find((i) => i.path === path)!,
        t,
      );
    expect(message('iterations')).toBe('errors.integerIn {"range":"[1, 1000000]"}');
    expect(message('hidden.1')).toContain('errors.layer {"n":2');
    expect(message('optimizers.Adam.lr')).toBe('errors.numberIn {"range":"(0, 100]"}');
  });

  it('asks for at least one optimizer', () => {
    const values = defaultFormValues(id, fields);
    const opt = values.optimizers as VariantsValue;
    values.optimizers = { ...opt, selected: Object.fromEntries(Object.keys(opt.selected).map((k) => [k, false])) };
    const { issues } = validate(id, fields, values);
    expect(issues.map((i) => i.path)).toEqual(['optimizers']);
    expect(localizeIssue(fields, values, issues[0]!, t)).toBe('errors.pickAtLeast {"min":1}');
  });
});

describe('the forms of the other experiments', () => {
  it('gives a checkbox, a choice and lists of numbers to init-activations', () => {
    const f = describeFields(paramsJsonSchema('init-activations'));
    const kinds = Object.fromEntries(f.map((x) => [x.name, x.kind]));
    expect(kinds).toMatchObject({
      activation: 'choice',
      init: 'numberOrChoice',
      grid: 'boolean',
      range: 'choice',
      layers: 'number',
    });
    const values = { ...defaultFormValues('init-activations', f), grid: true, range: 'full' };
    expect(validate('init-activations', f, values).params).toMatchObject({ grid: true, range: 'full' });
  });

  it('reads a list of inits as numbers and names, and names a bad item', () => {
    const f = describeFields(paramsJsonSchema('init-mnist'));
    const inits = f.find((x) => x.name === 'inits')!;
    expect(inits).toMatchObject({ kind: 'numberList', itemChoices: ['he', 'xavier'] });
    const values = defaultFormValues('init-mnist', f);
    expect(values.inits).toBe('0.01,xavier,he');
    expect(validate('init-mnist', f, { ...values, inits: '0.05, He' }).params).toMatchObject({ inits: [0.05, 'he'] });
    const bad = { ...values, inits: '0.01,kaiming' };
    const { params, issues } = validate('init-mnist', f, bad);
    expect(params).toBeNull();
    expect(localizeIssue(f, bad, issues[0]!, t)).toContain('errors.item {"n":2');
  });

  it("starts the paths' optimizers at this experiment's learning rates, the unticked ones too", () => {
    const f = describeFields(paramsJsonSchema('optimizer-paths'));
    const values = defaultFormValues('optimizer-paths', f);
    const optimizers = values.optimizers as VariantsValue;
    expect(optimizers.values.SGD).toMatchObject({ lr: '0.95' });
    expect(optimizers.selected.Nesterov).toBe(false);
    expect(optimizers.values.Nesterov).toMatchObject({ lr: '0.1', momentum: '0.9' });
    expect(validate('optimizer-paths', f, values).params).toEqual(defaultParams('optimizer-paths'));
  });

  it('edits a group of numbers member by member', () => {
    const schema = {
      type: 'object',
      properties: {
        start: {
          type: 'object',
          properties: { x: { type: 'number', minimum: -10, maximum: 10 }, y: { type: 'number' } },
        },
      },
    };
    const [field] = describeFields(schema);
    expect(field).toMatchObject({ kind: 'group', members: [{ name: 'x' }, { name: 'y' }] });
    expect(paramsFrom([field!], { start: { x: '5', y: '-3' } })).toEqual({ start: { x: 5, y: -3 } });
    expect(localizeIssue([field!], {}, { path: 'start.x', message: 'too big' }, t)).toBe(
      'errors.numberIn {"range":"[-10, 10]"}',
    );
  });
});

describe("the workbench's variants", () => {
  const wb = 'workbench' as const;
  const f = describeFields(paramsJsonSchema(wb));
  const variants = f.find((x) => x.name === 'variants') as Extract<FieldSpec, { kind: 'recipes' }>;
  const threeVariants = parseParams(wb, {
    trainSize: 300,
    epochs: 4,
    seeds: 3,
    evaluation: 'validation',
    variants: [
      { name: 'plain', hidden: [50, 50] },
      { name: 'Batch Norm', hidden: [50, 50], batchNorm: true, init: 0.05 },
      {
        name: 'BN dropout 0.2',
        hidden: [50, 50],
        batchNorm: true,
        dropoutRatio: 0.2,
        optimizer: { name: 'Adam', lr: 0.002 },
        lrSchedule: 'cosine',
      },
    ],
  }) as Record<string, unknown>;
  const recipesOf = (values: FormValues) => (values.variants as RecipesValue).recipes;

  it('is a list of recipes, each a form of its own', () => {
    expect(variants).toMatchObject({ kind: 'recipes', minItems: 1, maxItems: 8 });
    expect(Object.fromEntries(variants.item.map((x) => [x.name, x.kind]))).toEqual({
      name: 'string',
      hidden: 'numberList',
      activation: 'choice',
      init: 'numberOrChoice',
      batchNorm: 'boolean',
      dropoutRatio: 'number',
      lambda: 'number',
      optimizer: 'optimizer',
      lrSchedule: 'choice',
      lrEvery: 'number',
      lrFactor: 'number',
    });
    expect(variants.item.find((x) => x.name === 'optimizer')).toMatchObject({
      choices: ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSprop', 'Adam', 'AdamW'],
    });
  });

  it('loads any valid parameters and gives them back: the defaults, three variants, every preset', () => {
    expect(validate(wb, f, defaultFormValues(wb, f)).params).toEqual(defaultParams(wb));
    const values = formValuesFrom(wb, f, threeVariants);
    const [, bn, adam] = recipesOf(values);
    expect(bn).toMatchObject({ batchNorm: true, init: { choice: NUMBER_CHOICE, number: '0.05' } });
    expect(adam).toMatchObject({
      name: 'BN dropout 0.2',
      hidden: '50,50',
      dropoutRatio: '0.2',
      optimizer: { name: 'Adam', hypers: { lr: '0.002', beta1: '0.9', beta2: '0.999' } },
    });
    expect(validate(wb, f, values).params).toEqual(threeVariants);
    for (const id of PRESET_EXPERIMENTS) {
      const preset = bookPreset(id) as Record<string, unknown>;
      expect(validate(wb, f, formValuesFrom(wb, f, preset)).params, id).toEqual(preset);
    }
  });

  it('starts another optimizer at its book defaults, and a new variant at the defaults', () => {
    expect(optimizerDefaults('Momentum')).toEqual({ name: 'Momentum', hypers: { lr: '0.01', momentum: '0.9' } });
    const added = newRecipe(wb, variants, 'variant 3');
    expect(added).toMatchObject({
      name: 'variant 3',
      hidden: '100,100,100,100',
      init: { choice: 'he' },
      batchNorm: false,
      dropoutRatio: '0',
      optimizer: { name: 'SGD', hypers: { lr: '0.01' } },
    });
    const values = formValuesFrom(wb, f, threeVariants);
    values.variants = { recipes: [...recipesOf(values), added] };
    expect((validate(wb, f, values).params?.variants as unknown[]).length).toBe(4);
  });

  it("puts each message beside its variant's field, by position, localised", () => {
    const values = formValuesFrom(wb, f, threeVariants);
    const [plain, bn, drop] = recipesOf(values);
    values.variants = {
      recipes: [
        { ...plain!, name: '' },
        { ...bn!, hidden: '50,abc' },
        {
          ...drop!,
          dropoutRatio: '1.5',
          optimizer: { name: 'Adam', hypers: { lr: '-1', beta1: '0.9', beta2: '0.999' } },
        },
      ],
    };
    const { params, issues } = validate(wb, f, values);
    expect(params).toBeNull();
    const split = recipeIssues(variants, values.variants, issues);
    expect(split.list).toEqual([]);
    expect(split.items.map((items) => items.map((i) => i.path).sort())).toEqual([
      ['variants.0.name'],
      ['variants.1.hidden.1'],
      ['variants.2.dropoutRatio', 'variants.2.optimizer.lr'],
    ]);
    const message = (path: string) =>
      localizeIssue(
        f,
        values,
        issues.find((i) => i.path.endsWith(path))!,
        t,
      );
    expect(message('.name')).toBe('errors.textLength {"min":1,"max":40}');
    expect(message('hidden.1')).toContain('errors.layer {"n":2');
    expect(message('dropoutRatio')).toBe('errors.numberIn {"range":"[0, 1)"}');
    expect(message('optimizer.lr')).toBe('errors.numberIn {"range":"(0, 100]"}');
  });

  it('asks for names of their own, as a message of the whole list', () => {
    const values = formValuesFrom(wb, f, threeVariants);
    const [plain, bn] = recipesOf(values);
    values.variants = { recipes: [plain!, { ...bn!, name: 'plain' }] };
    const { issues } = validate(wb, f, values);
    const split = recipeIssues(variants, values.variants, issues);
    expect(split.list.map((i) => i.path)).toEqual(['variants']);
    expect(localizeIssue(f, values, split.list[0]!, t)).toBe('errors.uniqueNames {}');
  });

  it('finds a variant by a name holding dots, the longest name first', () => {
    const value: RecipesValue = { recipes: [{ name: 'a' }, { name: 'a.b' }, { name: 'λ=0.1' }] };
    expect(recipeOfPath(value, 'a.b.lambda')).toEqual({ indexes: [1], rest: 'lambda' });
    expect(recipeOfPath(value, 'a.lambda')).toEqual({ indexes: [0], rest: 'lambda' });
    expect(recipeOfPath(value, 'λ=0.1.optimizer.lr')).toEqual({ indexes: [2], rest: 'optimizer.lr' });
    expect(recipeOfPath(value, '1.hidden')).toEqual({ indexes: [1], rest: 'hidden' });
    expect(recipeOfPath(value, 'nobody.hidden')).toBeNull();
  });
});
