import { describe, expect, it } from 'vitest';
import { defaultParams, parseParams } from './experiments';
import { SetError, applySet, parseSetValue } from './set-values';

describe('parseSetValue', () => {
  it('parses JSON: numbers, booleans, null, arrays, objects, quoted strings', () => {
    expect(parseSetValue('30')).toBe(30);
    expect(parseSetValue('0.001')).toBe(0.001);
    expect(parseSetValue('-2')).toBe(-2);
    expect(parseSetValue('1e-3')).toBe(0.001);
    expect(parseSetValue('true')).toBe(true);
    expect(parseSetValue('null')).toBeNull();
    expect(parseSetValue('[50,50]')).toEqual([50, 50]);
    expect(parseSetValue('{"name":"Adam","lr":0.002}')).toEqual({ name: 'Adam', lr: 0.002 });
    expect(parseSetValue('"he"')).toBe('he');
  });

  it('splits a comma list that is not JSON, parsing each part', () => {
    expect(parseSetValue('SGD,Adam')).toEqual(['SGD', 'Adam']);
    expect(parseSetValue('SGD, Adam ,AdaGrad')).toEqual(['SGD', 'Adam', 'AdaGrad']);
    expect(parseSetValue('100,50')).toEqual([100, 50]);
  });

  it('keeps anything else as the plain string', () => {
    expect(parseSetValue('relu')).toBe('relu');
    expect(parseSetValue('xavier')).toBe('xavier');
    expect(parseSetValue('')).toBe('');
  });
});

describe('applySet', () => {
  const fresh = () => structuredClone(defaultParams('optimizers-mnist')) as Record<string, unknown>;

  it('sets a top-level parameter', () => {
    const params = fresh();
    applySet(params, 'iterations=30');
    applySet(params, 'activation=sigmoid');
    applySet(params, 'hidden=[50,40]');
    expect(params.iterations).toBe(30);
    expect(params.activation).toBe('sigmoid');
    expect(params.hidden).toEqual([50, 40]);
  });

  it('only splits at the first =', () => {
    const params: Record<string, unknown> = {};
    applySet(params, 'note=a=b');
    expect(params.note).toBe('a=b');
  });

  it('reaches into arrays by index', () => {
    const params = fresh();
    applySet(params, 'hidden.0=50');
    expect(params.hidden).toEqual([50, 100, 100, 100]);
  });

  it('reaches into an array of named items by name', () => {
    const params = fresh();
    applySet(params, 'optimizers.Adam.lr=0.002');
    applySet(params, 'optimizers.Momentum.momentum=0.5');
    const parsed = parseParams('optimizers-mnist', params);
    expect(parsed.optimizers).toEqual([
      { name: 'SGD', lr: 0.01 },
      { name: 'Momentum', lr: 0.01, momentum: 0.5 },
      { name: 'AdaGrad', lr: 0.01 },
      { name: 'Adam', lr: 0.002, beta1: 0.9, beta2: 0.999 },
    ]);
  });

  it('replaces the optimizer list with a comma list of names', () => {
    const params = fresh();
    applySet(params, 'optimizers=SGD,Adam');
    const parsed = parseParams('optimizers-mnist', params);
    expect(parsed.optimizers.map((o) => o.name)).toEqual(['SGD', 'Adam']);
    expect(parsed.optimizers[1]).toEqual({ name: 'Adam', lr: 0.001, beta1: 0.9, beta2: 0.999 });
  });

  it('throws SetError without key=value', () => {
    expect(() => applySet({}, 'iterations')).toThrow(SetError);
    expect(() => applySet({}, '=5')).toThrow(/key=value/);
  });

  it('throws SetError naming an unknown group and a missing named item', () => {
    const params = fresh();
    expect(() => applySet(params, 'nope.lr=1')).toThrow(SetError);
    expect(() => applySet(params, 'nope.lr=1')).toThrow(/unknown parameter "nope"/);
    expect(() => applySet(params, 'optimizers.RMSprop.lr=0.1')).toThrow(/optimizers\.RMSprop.*no item named RMSprop/);
    expect(() => applySet(params, 'iterations.x=1')).toThrow(/"iterations" is not a group/);
  });

  it('leaves unknown top-level names for parameter validation to reject', () => {
    const params = fresh();
    applySet(params, 'iteratoins=5');
    expect(params.iteratoins).toBe(5);
    expect(() => parseParams('optimizers-mnist', params)).toThrow(/iteratoins/);
  });
});

describe('named items given by name, then a field', () => {
  it('takes one item for a list parameter as the list of that item', () => {
    const params: Record<string, unknown> = { optimizers: [{ name: 'SGD' }, { name: 'Adam' }], hidden: [100, 100] };
    applySet(params, 'optimizers=SGD');
    applySet(params, 'optimizers.SGD.lr=0.1');
    applySet(params, 'hidden=50');
    expect(params).toEqual({ optimizers: [{ name: 'SGD', lr: 0.1 }], hidden: [50] });
  });

  it('turns a bare name into an item whose field can be set', () => {
    const params: Record<string, unknown> = {};
    applySet(params, 'optimizers=SGD,Adam');
    applySet(params, 'optimizers.Adam.lr=0.002');
    expect(params.optimizers).toEqual(['SGD', { name: 'Adam', lr: 0.002 }]);
  });
});

describe('applySet on the workbench variants', () => {
  const fresh = () => structuredClone(defaultParams('workbench')) as Record<string, unknown>;
  const variants = (params: Record<string, unknown>) => parseParams('workbench', params).variants;

  it('sets a variant field by index or by name', () => {
    const params = fresh();
    applySet(params, 'variants.0.dropoutRatio=0.3');
    applySet(params, 'variants.Batch Norm.hidden=50,50');
    expect(variants(params).map((v) => [v.name, v.dropoutRatio, v.hidden])).toEqual([
      ['plain', 0.3, [100, 100, 100, 100]],
      ['Batch Norm', 0, [50, 50]],
    ]);
  });

  it('changes a variant’s optimizer by name, to that optimizer’s defaults', () => {
    const params = fresh();
    applySet(params, 'variants.0.optimizer.name=Momentum');
    applySet(params, 'variants.0.optimizer.momentum=0.8');
    expect(variants(params)[0]!.optimizer).toEqual({ name: 'Momentum', lr: 0.01, momentum: 0.8 });
    applySet(params, 'variants.0.optimizer.name=Adam');
    expect(variants(params)[0]!.optimizer).toEqual({ name: 'Adam', lr: 0.001, beta1: 0.9, beta2: 0.999 });
  });

  it('adds a variant one past the end as a copy of the last, and renames it', () => {
    const params = fresh();
    applySet(params, 'variants.2.dropoutRatio=0.2');
    applySet(params, 'variants.2.name=BN dropout');
    expect(variants(params).map((v) => [v.name, v.batchNorm, v.dropoutRatio])).toEqual([
      ['plain', false, 0],
      ['Batch Norm', true, 0],
      ['BN dropout', true, 0.2],
    ]);
    expect(() => applySet(params, 'variants.5.name=x')).toThrow(SetError);
  });

  it('leaves a copy that is not renamed to the schema, which names the clash', () => {
    const params = fresh();
    applySet(params, 'variants.2.lambda=0.1');
    expect(() => parseParams('workbench', params)).toThrow(/own/);
  });
});
