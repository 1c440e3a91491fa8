import { describe, expect, it } from 'vitest';
import { defaultParams, paramsJsonSchema } from '../../../shared/experiments';
import {
  type FormValues,
  NUMBER_CHOICE,
  type VariantsValue,
  defaultFormValues,
  describeFields,
  localizeIssue,
  paramsFrom,
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
