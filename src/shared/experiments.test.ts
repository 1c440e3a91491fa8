import { describe, expect, it } from 'vitest';
import {
  EXPERIMENTS,
  EXPERIMENT_IDS,
  ParamError,
  defaultParams,
  isExperimentId,
  paramsJsonSchema,
  parseParams,
} from './experiments';
import { OPTIMIZERS, OPTIMIZER_NAMES, defaultOptimizer } from './optimizers';

/** The ParamError parseParams throws for `input` (fails the test if it does not throw one). */
function paramError(input: unknown): ParamError {
  try {
    parseParams('optimizers-mnist', input);
  } catch (error) {
    expect(error).toBeInstanceOf(ParamError);
    return error as ParamError;
  }
  throw new Error(`parseParams accepted ${JSON.stringify(input)}`);
}

describe('optimizers-mnist defaults (the book, Fig. 6-9)', () => {
  it('are the book setup', () => {
    const params = defaultParams('optimizers-mnist');
    expect(params.iterations).toBe(2000);
    expect(params.batchSize).toBe(128);
    expect(params.hidden).toEqual([100, 100, 100, 100]);
    expect(params.activation).toBe('relu');
    expect(params.init).toBe('he');
    expect(params.lambda).toBe(0);
    expect(params.optimizers).toEqual([
      { name: 'SGD', lr: 0.01 },
      { name: 'Momentum', lr: 0.01, momentum: 0.9 },
      { name: 'AdaGrad', lr: 0.01 },
      { name: 'Adam', lr: 0.001, beta1: 0.9, beta2: 0.999 },
    ]);
    expect(typeof params.seed).toBe('number');
  });

  it('are what an empty, undefined or null input gives', () => {
    const defaults = defaultParams('optimizers-mnist');
    expect(parseParams('optimizers-mnist', {})).toEqual(defaults);
    expect(parseParams('optimizers-mnist', undefined)).toEqual(defaults);
    expect(parseParams('optimizers-mnist', null)).toEqual(defaults);
  });

  it("every optimizer has its descriptor's defaults, the book's six the book's", () => {
    const defaults = OPTIMIZER_NAMES.map(defaultOptimizer);
    expect(defaults).toEqual(
      OPTIMIZERS.map((d) => ({
        name: d.name,
        lr: d.bookLr,
        ...Object.fromEntries(Object.entries(d.hyper).map(([field, p]) => [field, p.schema.parse(undefined)])),
      })),
    );
    expect(defaults).toEqual(
      expect.arrayContaining([
        { name: 'SGD', lr: 0.01 },
        { name: 'Momentum', lr: 0.01, momentum: 0.9 },
        { name: 'Nesterov', lr: 0.01, momentum: 0.9 },
        { name: 'AdaGrad', lr: 0.01 },
        { name: 'RMSprop', lr: 0.01, decayRate: 0.99 },
        { name: 'Adam', lr: 0.001, beta1: 0.9, beta2: 0.999 },
      ]),
    );
  });

  it('do not share state between calls', () => {
    const a = defaultParams('optimizers-mnist');
    a.hidden.push(7);
    a.optimizers.pop();
    const b = defaultParams('optimizers-mnist');
    expect(b.hidden).toEqual([100, 100, 100, 100]);
    expect(b.optimizers).toHaveLength(4);
  });
});

describe('parseParams', () => {
  it('keeps good values and fills in the rest', () => {
    const params = parseParams('optimizers-mnist', {
      iterations: 30,
      hidden: [50],
      init: 0.01,
      optimizers: ['SGD', { name: 'Adam', lr: 0.002 }],
      seed: 7,
    });
    expect(params.iterations).toBe(30);
    expect(params.hidden).toEqual([50]);
    expect(params.init).toBe(0.01);
    expect(params.batchSize).toBe(128);
    expect(params.seed).toBe(7);
    expect(params.optimizers).toEqual([
      { name: 'SGD', lr: 0.01 },
      { name: 'Adam', lr: 0.002, beta1: 0.9, beta2: 0.999 },
    ]);
  });

  it('accepts a numeric init given as a string (from a form or the command line)', () => {
    expect(parseParams('optimizers-mnist', { init: '0.01' }).init).toBe(0.01);
    expect(parseParams('optimizers-mnist', { init: 'xavier' }).init).toBe('xavier');
  });

  // Each bad value must name its parameter and say what is allowed.
  const cases: { input: Record<string, unknown>; path: string; allowed: string }[] = [
    { input: { iterations: 0 }, path: 'iterations', allowed: '1 to 1000000 (integer)' },
    { input: { iterations: 2_000_000 }, path: 'iterations', allowed: '1 to 1000000 (integer)' },
    { input: { iterations: 1.5 }, path: 'iterations', allowed: '1 to 1000000 (integer)' },
    { input: { iterations: '30' }, path: 'iterations', allowed: '1 to 1000000 (integer)' },
    { input: { batchSize: 0 }, path: 'batchSize', allowed: '1 to 60000 (integer)' },
    { input: { hidden: [100, 0] }, path: 'hidden.1', allowed: '1 to 4096 (integer)' },
    { input: { activation: 'softplus' }, path: 'activation', allowed: 'relu | sigmoid | tanh' },
    { input: { init: 0 }, path: 'init', allowed: '> 0 to 100, or he | xavier' },
    { input: { init: 'lecun' }, path: 'init', allowed: '> 0 to 100, or he | xavier' },
    { input: { lambda: -0.1 }, path: 'lambda', allowed: '0 to 10' },
    { input: { seed: -1 }, path: 'seed', allowed: '0 to 4294967295 (integer)' },
    { input: { optimizers: [{ name: 'Adam', lr: 0 }] }, path: 'optimizers.Adam.lr', allowed: '> 0 to 100' },
    {
      input: { optimizers: ['SGD', { name: 'Momentum', momentum: 1 }] },
      path: 'optimizers.Momentum.momentum',
      allowed: '0 to < 1',
    },
    {
      input: { optimizers: [{ name: 'RMSprop', decayRate: -0.5 }] },
      path: 'optimizers.RMSprop.decayRate',
      allowed: '0 to < 1',
    },
    { input: { optimizers: [{ name: 'Adam', beta2: 1 }] }, path: 'optimizers.Adam.beta2', allowed: '0 to < 1' },
  ];
  it.each(cases)('rejects $input naming $path and its range', ({ input, path, allowed }) => {
    const error = paramError(input);
    expect(error.experiment).toBe('optimizers-mnist');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.path).toBe(path);
    expect(error.issues[0]!.message).toContain(`allowed: ${allowed}`);
    expect(error.message).toContain(path);
    expect(error.message).toContain(allowed);
  });

  it('names every bad parameter at once', () => {
    const error = paramError({ iterations: 0, batchSize: -1 });
    expect(error.issues.map((i) => i.path).sort()).toEqual(['batchSize', 'iterations']);
  });

  it('rejects an unknown parameter by name', () => {
    const error = paramError({ iteratoins: 5 });
    expect(error.message).toContain('iteratoins');
  });

  it('rejects an unknown optimizer setting by name instead of dropping it', () => {
    const error = paramError({ optimizers: [{ name: 'Adam', learningRate: 0.1 }] });
    expect(error.message).toContain('learningRate');
    expect(error.issues[0]!.path).toBe('optimizers.Adam');
  });

  it('rejects an unknown optimizer, naming the known ones', () => {
    const error = paramError({ optimizers: ['SGD', 'Adamax'] });
    expect(error.issues[0]!.path).toContain('optimizers');
    for (const name of OPTIMIZER_NAMES) expect(error.message).toContain(name);
  });

  it('rejects an empty optimizer list and a repeated optimizer', () => {
    expect(paramError({ optimizers: [] }).issues[0]!.path).toBe('optimizers');
    expect(paramError({ optimizers: ['SGD', 'Adam', 'SGD'] }).message).toMatch(/optimizers.*once/);
  });

  it('offers every optimizer in the forms of Fig. 6-8 and Fig. 6-9, all at once at most', () => {
    for (const id of ['optimizer-paths', 'optimizers-mnist'] as const) {
      const node = paramsJsonSchema(id).properties?.optimizers;
      expect(node?.choices, id).toEqual(OPTIMIZER_NAMES);
      expect(node?.maxItems, id).toBe(OPTIMIZER_NAMES.length);
      const all = parseParams(id, { optimizers: [...OPTIMIZER_NAMES] }).optimizers;
      expect(all.map((o) => o.name)).toEqual(OPTIMIZER_NAMES);
    }
  });

  it('rejects an empty or too deep hidden list', () => {
    expect(paramError({ hidden: [] }).issues[0]!.path).toBe('hidden');
    expect(paramError({ hidden: new Array(17).fill(10) }).issues[0]!.path).toBe('hidden');
  });

  it('rejects input that is not an object', () => {
    expect(() => parseParams('optimizers-mnist', 'fast')).toThrow(ParamError);
    expect(() => parseParams('optimizers-mnist', [1, 2])).toThrow(ParamError);
  });
});

describe('experiment registry', () => {
  it('lists optimizers-mnist with its figure and a JSON schema carrying the defaults and limits', () => {
    expect(EXPERIMENT_IDS).toContain('optimizers-mnist');
    expect(isExperimentId('optimizers-mnist')).toBe(true);
    expect(isExperimentId('toString')).toBe(false);
    expect(isExperimentId('nope')).toBe(false);
    expect(EXPERIMENTS['optimizers-mnist'].book.figure).toBe('Fig. 6-9');
    const schema = paramsJsonSchema('optimizers-mnist');
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(
      [
        'activation',
        'batchSize',
        'hidden',
        'init',
        'iterations',
        'lambda',
        'optimizers',
        'sameStartWeights',
        'lrSchedule',
        'lrEvery',
        'lrFactor',
        'insideEvery',
        'seed',
      ].sort(),
    );
    expect(schema.properties?.iterations).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 1_000_000,
      default: 2000,
    });
  });

  it('every experiment accepts its own defaults', () => {
    for (const id of EXPERIMENT_IDS) expect(() => parseParams(id, defaultParams(id))).not.toThrow();
  });
});
