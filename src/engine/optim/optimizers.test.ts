import { describe, expect, it } from 'vitest';
import { OPTIMIZER_NAMES, defaultOptimizer, optimizerSpec } from '../../shared/optimizers';
import type { ParamSet } from '../nn/params';
import { AdaGrad, Adam, Momentum, Nesterov, type Optimizer, RMSprop, SGD, createOptimizer } from './index';

/*
 * Three updates of a 3-element "W1" and a 2-element "b1", with a different gradient each time (a zero
 * among them), so that every optimizer's state (v, h, m, t) matters.
 *
 * Expected values: the book's common/optimizer.py classes (SGD, Momentum, Nesterov, AdaGrad, RMSprop,
 * Adam), re-typed in python3 + numpy 2.4.6 and run in float64 on exactly these inputs, printed with
 * params[key].tolist() after each update. The engine keeps float32 arrays, so they are compared to
 * 5 decimals (float32 carries ~7 significant digits; every value here is below 4 in magnitude).
 */
const START = { W1: [1.0, -2.0, 0.5], b1: [0.0, 3.0] };
const GRADS = [
  { W1: [0.5, -1.0, 0.25], b1: [2.0, 0.0] },
  { W1: [-0.3, 0.8, 0.0], b1: [1.0, -0.5] },
  { W1: [0.1, 0.2, -4.0], b1: [-1.0, 0.5] },
];
type Values = { W1: number[]; b1: number[] };
const EXPECTED: Record<string, { make: () => Optimizer; steps: Values[] }> = {
  'SGD(lr 0.1)': {
    make: () => new SGD(0.1),
    steps: [
      { W1: [0.95, -1.9, 0.475], b1: [-0.2, 3.0] },
      { W1: [0.98, -1.98, 0.475], b1: [-0.30000000000000004, 3.05] },
      { W1: [0.97, -2.0, 0.875], b1: [-0.20000000000000004, 3.0] },
    ],
  },
  'Momentum(lr 0.1, momentum 0.9)': {
    make: () => new Momentum(0.1, 0.9),
    steps: [
      { W1: [0.95, -1.9, 0.475], b1: [-0.2, 3.0] },
      { W1: [0.9349999999999999, -1.89, 0.45249999999999996], b1: [-0.48000000000000004, 3.05] },
      { W1: [0.9115, -1.9009999999999998, 0.8322499999999999], b1: [-0.6320000000000001, 3.045] },
    ],
  },
  'Nesterov(lr 0.1, momentum 0.9), the book form': {
    make: () => new Nesterov(0.1, 0.9),
    steps: [
      { W1: [0.8645, -1.729, 0.43225], b1: [-0.542, 3.0] },
      { W1: [0.9093500000000001, -1.8729, 0.41402500000000003], b1: [-0.9588000000000001, 3.1355000000000004] },
      { W1: [0.8713150000000001, -1.91981, 1.4816225], b1: [-0.8919200000000003, 3.0364500000000003] },
    ],
  },
  'AdaGrad(lr 0.5)': {
    make: () => new AdaGrad(0.5),
    steps: [
      { W1: [0.50000009999998, -1.500000049999995, 1.999999200141822e-7], b1: [-0.4999999750000013, 3.0] },
      {
        W1: [0.7572479335961038, -1.8123475493869652, 1.999999200141822e-7],
        b1: [-0.7236067627499807, 3.49999990000002],
      },
      {
        W1: [0.672732522408964, -1.8894992184156307, 0.49902647679000267],
        b1: [-0.5194826258513822, 3.1464465594067392],
      },
    ],
  },
  'RMSprop(lr 0.1, decay 0.9)': {
    make: () => new RMSprop(0.1, 0.9),
    steps: [
      { W1: [0.6837724339830356, -1.6837723339831303, 0.18377263398265603], b1: [-0.3162277160168459, 3.0] },
      {
        W1: [0.8528031896906973, -1.8876311586101417, 0.18377263398265603],
        b1: [-0.4636696504326159, 3.3162275660169644],
      },
      {
        W1: [0.7944323832204498, -1.9405938587181377, 0.4995012769418693],
        b1: [-0.3241875817249484, 3.086811937409512],
      },
    ],
  },
  'Adam(lr 0.1, beta1 0.9, beta2 0.999)': {
    make: () => new Adam(0.1, 0.9, 0.999),
    steps: [
      { W1: [0.9000006324515321, -1.900000316226766, 0.40000126489506427], b1: [-0.09999984188636699, 3.0] },
      {
        W1: [0.8808509328208319, -1.8941878258539302, 0.33299628745887827],
        b1: [-0.19321767388482133, 3.074413211726224],
      },
      {
        W1: [0.8554545496155279, -1.8996134850059765, 0.39352573521238793],
        b1: [-0.2328881465589314, 3.0698950079595857],
      },
    ],
  },
};

const float32Set = (values: Values): ParamSet => ({
  W1: Float32Array.from(values.W1),
  b1: Float32Array.from(values.b1),
});
const float64Set = (values: Values) => ({ W1: Float64Array.from(values.W1), b1: Float64Array.from(values.b1) });

function expectParams(actual: ParamSet, expected: Values, label: string): void {
  for (const key of ['W1', 'b1'] as const) {
    const got = actual[key]!;
    expect(got).toBeInstanceOf(Float32Array);
    expect(got).toHaveLength(expected[key].length);
    expected[key].forEach((value, i) => expect(got[i], `${label} ${key}[${i}]`).toBeCloseTo(value, 5));
  }
}

describe.each(Object.entries(EXPECTED))('%s', (_name, { make, steps }) => {
  it('matches the book update rule over three updates, in place', () => {
    const optimizer = make();
    const params = float32Set(START);
    const { W1, b1 } = params;
    steps.forEach((expected, step) => {
      optimizer.update(params, float32Set(GRADS[step]!));
      expectParams(params, expected, `after update ${step + 1}:`);
    });
    // In place: the same arrays, no new keys.
    expect(params.W1).toBe(W1);
    expect(params.b1).toBe(b1);
    expect(Object.keys(params)).toEqual(['W1', 'b1']);
  });

  it('updates float64 parameters in float64: the book to 12 decimals', () => {
    const optimizer = make();
    const params = float64Set(START);
    steps.forEach((expected, step) => {
      optimizer.update(params, float64Set(GRADS[step]!));
      for (const key of ['W1', 'b1'] as const) {
        expect(params[key]).toBeInstanceOf(Float64Array);
        expected[key].forEach((value, i) =>
          expect(params[key][i], `update ${step + 1} ${key}[${i}]`).toBeCloseTo(value, 12),
        );
      }
    });
  });

  it('does not modify the gradients', () => {
    const optimizer = make();
    const grads = float32Set(GRADS[0]!);
    optimizer.update(float32Set(START), grads);
    expect(Array.from(grads.W1!)).toEqual(GRADS[0]!.W1);
    expect(Array.from(grads.b1!)).toEqual(GRADS[0]!.b1);
  });

  it('keeps its state per optimizer instance', () => {
    // A second instance starts from scratch: its first update equals the first instance's first update.
    const first = make();
    const a = float32Set(START);
    first.update(a, float32Set(GRADS[0]!));
    first.update(a, float32Set(GRADS[1]!));
    const second = make();
    const b = float32Set(START);
    second.update(b, float32Set(GRADS[0]!));
    expectParams(b, steps[0]!, 'fresh instance:');
  });
});

describe('worked by hand', () => {
  it("Adam's first step is lr * sign(g) thanks to the bias correction", () => {
    // t = 1: lr_t = lr * sqrt(1 - 0.999) / (1 - 0.9); m = 0.1 g; v = 0.001 g^2
    // step = lr_t * m / (sqrt(v) + 1e-7) ~= lr * sqrt(0.001) / 0.1 * 0.1 g / (sqrt(0.001) |g|) = lr * sign(g)
    const adam = new Adam(0.001);
    const params = { w: Float32Array.from([1, 1, 1]) };
    adam.update(params, { w: Float32Array.from([0.5, -5, 40]) });
    expect(params.w[0]).toBeCloseTo(1 - 0.001, 6);
    expect(params.w[1]).toBeCloseTo(1 + 0.001, 6);
    expect(params.w[2]).toBeCloseTo(1 - 0.001, 6);
    // Without the bias correction the step would be lr * 0.1 / sqrt(0.001) = 3.16 * lr.
  });

  it("Adam's state: m and v are moving averages, t counts updates", () => {
    const adam = new Adam(0.001, 0.9, 0.999);
    const params = { w: Float32Array.from([0]) };
    adam.update(params, { w: Float32Array.from([2]) });
    adam.update(params, { w: Float32Array.from([4]) });
    const state = adam.state();
    // m = 0.1*2 = 0.2, then 0.2 + 0.1*(4 - 0.2) = 0.58; v = 0.001*4 = 0.004, then 0.004 + 0.001*(16 - 0.004) = 0.019996
    expect(state.m!.w![0]).toBeCloseTo(0.58, 6);
    expect(state.v!.w![0]).toBeCloseTo(0.019996, 7);
    // second step: lr_t = 0.001 * sqrt(1 - 0.999^2) / (1 - 0.9^2); p -= lr_t * m / (sqrt(v) + 1e-7)
    const lrT2 = (0.001 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.9 ** 2);
    const p1 = -0.001;
    expect(params.w[0]).toBeCloseTo(p1 - (lrT2 * 0.58) / (Math.sqrt(0.019996) + 1e-7), 7);
  });

  it("Nesterov is the book's form, not plain momentum", () => {
    // first step from v = 0: v = -lr g; p += m^2 v - (1 + m) lr g = -(m^2 + 1 + m) lr g = -2.71 lr g
    const nesterov = new Nesterov(0.01, 0.9);
    const params = { w: Float32Array.from([0]) };
    nesterov.update(params, { w: Float32Array.from([1]) });
    expect(params.w[0]).toBeCloseTo(-0.0271, 7);
    // second step, g = 1 again: v = 0.9 * -0.01 - 0.01 = -0.019; p += 0.81 * -0.019 - 1.9 * 0.01 = -0.03439
    nesterov.update(params, { w: Float32Array.from([1]) });
    expect(params.w[0]).toBeCloseTo(-0.0271 - 0.03439, 7);
    expect(nesterov.state().v!.w![0]).toBeCloseTo(-0.019, 7);
  });

  it('AdaGrad and RMSprop leave a parameter with zero gradient alone (epsilon, no NaN)', () => {
    for (const optimizer of [new AdaGrad(), new RMSprop()]) {
      const params = { w: Float32Array.from([0.5, -0.25]) };
      optimizer.update(params, { w: Float32Array.from([0, 0]) });
      expect(Array.from(params.w)).toEqual([0.5, -0.25]);
    }
  });

  it("AdaGrad's step shrinks as squared gradients accumulate", () => {
    const adagrad = new AdaGrad(0.1);
    const params = { w: Float32Array.from([0]) };
    const deltas: number[] = [];
    let before = 0;
    for (let i = 0; i < 4; i++) {
      adagrad.update(params, { w: Float32Array.from([1]) });
      deltas.push(before - params.w[0]!);
      before = params.w[0]!;
    }
    // step k (1-based) is 0.1 / sqrt(k)
    deltas.forEach((delta, k) => expect(delta).toBeCloseTo(0.1 / Math.sqrt(k + 1), 6));
  });
});

describe('defaults and createOptimizer', () => {
  it("constructors default to the book's hyper-parameters", () => {
    expect(new SGD().lr).toBe(0.01);
    expect(new Momentum()).toMatchObject({ lr: 0.01, momentum: 0.9 });
    expect(new Nesterov()).toMatchObject({ lr: 0.01, momentum: 0.9 });
    expect(new AdaGrad().lr).toBe(0.01);
    expect(new RMSprop()).toMatchObject({ lr: 0.01, decayRate: 0.99 });
    expect(new Adam()).toMatchObject({ lr: 0.001, beta1: 0.9, beta2: 0.999 });
  });

  it.each(OPTIMIZER_NAMES)("%s: the class's constructor defaults are its descriptor's", (name) => {
    const { name: _name, ...defaults } = defaultOptimizer(name);
    const Class = createOptimizer(defaultOptimizer(name)).constructor as new () => Optimizer;
    expect(new Class()).toMatchObject(defaults);
  });

  it('builds the named optimizer with the spec hyper-parameters', () => {
    for (const name of OPTIMIZER_NAMES) {
      const optimizer = createOptimizer(defaultOptimizer(name));
      expect(optimizer.constructor.name).toBe(name);
      expect(optimizer).toMatchObject(
        Object.fromEntries(Object.entries(defaultOptimizer(name)).filter(([k]) => k !== 'name')),
      );
    }
    expect(createOptimizer(optimizerSpec.parse({ name: 'Adam', lr: 0.3, beta1: 0.5 }))).toMatchObject({
      lr: 0.3,
      beta1: 0.5,
      beta2: 0.999,
    });
    expect(createOptimizer(optimizerSpec.parse({ name: 'RMSprop', decayRate: 0.5 }))).toMatchObject({
      lr: 0.01,
      decayRate: 0.5,
    });
    expect(createOptimizer(optimizerSpec.parse({ name: 'Nesterov', momentum: 0.5 }))).toMatchObject({ momentum: 0.5 });
  });

  it.each(OPTIMIZER_NAMES)('%s reads its learning rate at every update (a schedule may set it)', (name) => {
    const spec = { ...defaultOptimizer(name), lr: 0.05 };
    const steady = createOptimizer(spec);
    const changed = createOptimizer({ ...spec, lr: 0.5 });
    const a = float64Set(START);
    const b = float64Set(START);
    changed.lr = 0.05;
    GRADS.forEach((g, step) => {
      steady.update(a, float64Set(g));
      changed.update(b, float64Set(g));
      expect(b, `after update ${step + 1}`).toEqual(a);
    });
    // A different learning rate on the last update moves it elsewhere.
    const c = float64Set(START);
    const late = createOptimizer(spec);
    GRADS.forEach((g, step) => {
      if (step === GRADS.length - 1) late.lr = 0.2;
      late.update(c, float64Set(g));
    });
    expect(c).not.toEqual(a);
  });

  it('a created optimizer updates like the class with the same numbers', () => {
    const created = createOptimizer(optimizerSpec.parse({ name: 'Momentum', lr: 0.1, momentum: 0.9 }));
    const params = float32Set(START);
    GRADS.forEach((g) => created.update(params, float32Set(g)));
    expectParams(params, EXPECTED['Momentum(lr 0.1, momentum 0.9)']!.steps[2]!, 'created Momentum:');
  });
});
