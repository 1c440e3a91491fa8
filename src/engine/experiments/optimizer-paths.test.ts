import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../shared/events';
import { type TraceStep, toyFunction } from '../../shared/slots/optimizer-paths';
import { OPTIMIZER_NAMES, type OptimizerSpec, TOY_LEARNING_RATES, defaultOptimizer } from '../../shared/optimizers';
import { ParamError, defaultParams, parseParams } from '../../shared/experiments';
import { type RunRecord, runRecordSchema } from '../../shared/runs';
import { initBackend } from '../backend';
import { type RunOptions, runExperiment } from '../runner';
import {
  type RecordedRun,
  expectClaimsHold,
  expectWellFormedEvents,
  logLines,
  recordRun,
  seriesNamed,
} from '../runs.test-helpers';

/*
 * Fig. 6-8 on f(x, y) = x²/20 + y², gradient (x/10, 2y), from (-7, 2): the real optimizer classes on
 * float64 params {x, y}. Each run takes milliseconds, so every test runs the book's 30 steps.
 */

const run = (params: Record<string, unknown> = {}, options: RunOptions = {}) =>
  recordRun('optimizer-paths', params, options);

interface Path {
  x: number[];
  y: number[];
}

function pathOf(record: RunRecord, name: string): Path {
  const { x, y } = seriesNamed(record, name);
  return { x, y };
}

function traceOf(record: RunRecord, name: string): TraceStep[] {
  return (record.summary.trace as Record<string, TraceStep[]>)[name]!;
}

/** The length of each update step along the path. */
function stepLengths({ x, y }: Path): number[] {
  return x.slice(1).map((xi, i) => Math.hypot(xi - x[i]!, y[i + 1]! - y[i]!));
}

/** How many times a coordinate changes sign along the path. */
function signChanges(values: number[]): number {
  return values.slice(1).filter((v, i) => Math.sign(v) !== Math.sign(values[i]!) && v !== 0 && values[i] !== 0).length;
}

beforeAll(async () => {
  await initBackend();
});

describe("optimizer-paths at the book's settings (Fig. 6-8)", () => {
  let book: RecordedRun;
  beforeAll(async () => {
    book = await run();
  });

  it("has the book's four paths of 31 points from (-7, 2), metric 'path', x and y the positions", () => {
    const { record } = book;
    expect(record.status).toBe('completed');
    runRecordSchema.parse(record);
    expect(record.params).toMatchObject({ steps: 30, startX: -7, startY: 2 });
    expect(record.series.map((s) => s.name)).toEqual(['SGD', 'Momentum', 'AdaGrad', 'Adam']);
    for (const series of record.series) {
      expect(series.metric).toBe('path');
      expect(series.x).toHaveLength(31);
      expect(series.y).toHaveLength(31);
      expect([series.x[0], series.y[0]]).toEqual([-7, 2]);
    }
  });

  it('SGD with lr 0.95 from (-7, 2) reaches (-6.335, -1.8) after one step', () => {
    const sgd = pathOf(book.record, 'SGD');
    expect(sgd.x[1]).toBeCloseTo(-6.335, 12);
    expect(sgd.y[1]).toBeCloseTo(-1.8, 12);
  });

  it('SGD zig-zags along y (y changes sign every step) and crawls along x (every y step is longer than the x step)', () => {
    const { x, y } = pathOf(book.record, 'SGD');
    expect(signChanges(y)).toBe(30);
    for (let i = 0; i < 30; i++) {
      expect(Math.abs(y[i + 1]! - y[i]!), `step ${i + 1}`).toBeGreaterThan(Math.abs(x[i + 1]! - x[i]!));
      expect(x[i + 1]!, `x moves only toward 0, step ${i + 1}`).toBeGreaterThan(x[i]!);
    }
    expect(x[30]!).toBeLessThan(-0.3);
  });

  it("the slot's claims (Fig. 6-8) hold: SGD zig-zags, walks the longest way, AdaGrad and Adam end nearer (0, 0)", () => {
    expectClaimsHold(book.record, ['sgd-zigzags', 'sgd-longest-path', 'adaptive-end-nearer']);
  });

  it('Momentum rolls like a ball: it overshoots x = 0 and swings across y = 0 again and again', () => {
    const { x, y } = pathOf(book.record, 'Momentum');
    expect(Math.max(...x)).toBeGreaterThan(0.5);
    expect(signChanges(y)).toBeGreaterThanOrEqual(3);
    // It builds up speed along x: its largest x step is several times its first.
    const xSteps = x.slice(1).map((xi, i) => xi - x[i]!);
    expect(Math.max(...xSteps)).toBeGreaterThan(3 * xSteps[0]!);
  });

  it("AdaGrad's steps shrink at every update and it heads almost straight for the minimum", () => {
    const lengths = stepLengths(pathOf(book.record, 'AdaGrad'));
    lengths.slice(1).forEach((length, i) => expect(length, `step ${i + 2}`).toBeLessThan(lengths[i]!));
    const { x, y } = pathOf(book.record, 'AdaGrad');
    // y is settled within a few steps and never crosses 0; x only approaches 0.
    expect(Math.abs(y[5]!)).toBeLessThan(0.05);
    expect(signChanges(y)).toBe(0);
    expect(signChanges(x)).toBe(0);
  });

  it('Adam moves like a damped ball: it overshoots y = 0 less than Momentum does', () => {
    const adam = pathOf(book.record, 'Adam');
    const momentum = pathOf(book.record, 'Momentum');
    expect(signChanges(adam.y)).toBeGreaterThanOrEqual(1);
    expect(Math.min(...adam.y)).toBeLessThan(0);
    expect(Math.abs(Math.min(...adam.y))).toBeLessThan(Math.abs(Math.min(...momentum.y)) / 1.5);
  });

  it('every optimizer ends far lower on f than it started', () => {
    const start = toyFunction(-7, 2);
    for (const series of book.record.series) {
      const end = toyFunction(series.x[30]!, series.y[30]!);
      expect(end, series.name).toBeLessThan(start / 20);
      expect(book.record.summary.final).toMatchObject({
        [series.name]: { steps: 30, x: series.x[30], y: series.y[30], value: end },
      });
    }
  });

  it('traces every step: position, the gradient there, and the internal state after that step', () => {
    for (const series of book.record.series) {
      const trace = traceOf(book.record, series.name);
      expect(trace).toHaveLength(31);
      trace.forEach((point, i) => {
        expect(point.step).toBe(i);
        expect([point.x, point.y]).toEqual([series.x[i], series.y[i]]);
        expect(point.gradient).toEqual([point.x / 10, 2 * point.y]);
      });
      expect(trace[0]!.state).toEqual({});
    }
    const slots = (name: string) => Object.keys(traceOf(book.record, name)[30]!.state);
    expect(slots('SGD')).toEqual([]);
    expect(slots('Momentum')).toEqual(['v']);
    expect(slots('AdaGrad')).toEqual(['h']);
    expect(slots('Adam')).toEqual(['m', 'v']);
    // After the first step: Momentum's v = -lr g; AdaGrad's h = g²; Adam's m = 0.1 g, v = 0.001 g² (g = (-0.7, 4)).
    const first = (name: string) => traceOf(book.record, name)[1]!.state;
    expect(first('Momentum').v![0]).toBeCloseTo(0.07, 12);
    expect(first('Momentum').v![1]).toBeCloseTo(-0.4, 12);
    expect(first('AdaGrad').h![0]).toBeCloseTo(0.49, 12);
    expect(first('AdaGrad').h![1]).toBeCloseTo(16, 12);
    expect(first('Adam').m![1]).toBeCloseTo(0.4, 12);
    expect(first('Adam').v![1]).toBeCloseTo(0.016, 12);
    // Momentum's position moves by exactly its v.
    const momentum = traceOf(book.record, 'Momentum');
    for (let i = 1; i <= 30; i++) {
      expect(momentum[i]!.x - momentum[i - 1]!.x).toBeCloseTo(momentum[i]!.state.v![0], 12);
    }
  });

  it('streams well-formed events with progress up to step 30 and one closing line per optimizer', () => {
    expectWellFormedEvents(book.events, book.record);
    const started = book.events[0]!;
    if (started.type === 'started') expect(started.totalSteps).toBe(30);
    const last = book.events.filter((e) => e.type === 'progress').at(-1);
    if (last?.type === 'progress') expect(last.step).toBe(30);
    const log = logLines(book.events);
    for (const name of ['SGD', 'Momentum', 'AdaGrad', 'Adam'])
      expect(log.some((line) => line.startsWith(`${name}: (`))).toBe(true);
    expect(book.tensorsAfter).toBe(book.tensorsBefore);
  });
});

describe('optimizer-paths parameters', () => {
  it("a bare optimizer name takes the toy learning rate (Nesterov and RMSprop 0.1) and the book's other hyper-parameters", () => {
    const params = parseParams('optimizer-paths', { optimizers: [...OPTIMIZER_NAMES] });
    expect(Object.fromEntries(params.optimizers.map((o) => [o.name, o.lr]))).toEqual(TOY_LEARNING_RATES);
    expect(TOY_LEARNING_RATES).toMatchObject({
      SGD: 0.95,
      Momentum: 0.1,
      Nesterov: 0.1,
      AdaGrad: 1.5,
      RMSprop: 0.1,
      Adam: 0.3,
    });
    const withoutLr = ({ lr: _lr, ...rest }: OptimizerSpec) => rest;
    expect(params.optimizers.map(withoutLr)).toEqual(OPTIMIZER_NAMES.map((name) => withoutLr(defaultOptimizer(name))));
    expect(defaultParams('optimizer-paths').optimizers.map((o) => o.name)).toEqual([
      'SGD',
      'Momentum',
      'AdaGrad',
      'Adam',
    ]);
    // optimizers-mnist keeps the book's MNIST defaults.
    expect(parseParams('optimizers-mnist', { optimizers: ['SGD'] }).optimizers).toEqual([{ name: 'SGD', lr: 0.01 }]);
  });

  it('runs all six with another start, step count and learning rate', async () => {
    const { record } = await run({
      steps: 12,
      startX: 5,
      startY: -3,
      optimizers: ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSprop', { name: 'Adam', lr: 0.5 }],
    });
    expect(record.status).toBe('completed');
    expect(record.series.map((s) => s.name)).toEqual(['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSprop', 'Adam']);
    for (const series of record.series) {
      expect(series.x).toHaveLength(13);
      expect([series.x[0], series.y[0]]).toEqual([5, -3]);
      expect(toyFunction(series.x[12]!, series.y[12]!), series.name).toBeLessThan(toyFunction(5, -3));
    }
    expect(Object.keys(traceOf(record, 'Nesterov')[12]!.state)).toEqual(['v']);
    expect(Object.keys(traceOf(record, 'RMSprop')[12]!.state)).toEqual(['h']);
    // Adam's first step is lr along each axis (bias correction; epsilon shortens it by ~1e-6 here): 0.5.
    expect(seriesNamed(record, 'Adam').x[1]).toBeCloseTo(4.5, 4);
  });

  it('rejects a bad learning rate or start before anything starts', async () => {
    await expect(runExperiment('optimizer-paths', { optimizers: [{ name: 'SGD', lr: 0 }] })).rejects.toBeInstanceOf(
      ParamError,
    );
    await expect(runExperiment('optimizer-paths', { startX: 1000 })).rejects.toThrow(/startX.*-100 to 100/);
  });
});

describe('optimizer-paths divergence and cancel', () => {
  // SGD with lr 100 multiplies y by (1 - 200) each step: float64 overflows after ~134 steps.
  it('stops a path that overflows at divergedAt (the step) and completes the others', async () => {
    const { record, events } = await run({ steps: 300, optimizers: [{ name: 'SGD', lr: 100 }, 'AdaGrad'] });
    expect(record.status).toBe('completed');
    const sgd = seriesNamed(record, 'SGD');
    expect(sgd.divergedAt).toBeGreaterThan(100);
    expect(sgd.divergedAt).toBeLessThan(200);
    expect(sgd.x).toHaveLength(sgd.divergedAt!);
    expect(sgd.x.every(Number.isFinite) && sgd.y.every(Number.isFinite)).toBe(true);
    expect(seriesNamed(record, 'AdaGrad').x).toHaveLength(301);
    expect(events.filter((e) => e.type === 'diverged')).toEqual([
      { type: 'diverged', series: 'SGD', metric: 'path', key: { optimizer: 'SGD' }, at: sgd.divergedAt },
    ]);
    const { status } = (await run({ steps: 300, optimizers: [{ name: 'SGD', lr: 100 }] })).record;
    expect(status).toBe('diverged');
  });

  it("aborting at the first progress event ends 'cancelled' with the points so far", async () => {
    const controller = new AbortController();
    const { record, events } = await run(
      { steps: 10_000 },
      {
        signal: controller.signal,
        onEvent: (event: ProgressEvent) => {
          if (event.type === 'progress') controller.abort();
        },
      },
    );
    expect(record.status).toBe('cancelled');
    for (const series of record.series) {
      // Stopped at the step after the first progress batch, long before step 10,000.
      expect(series.x.length).toBeGreaterThan(1);
      expect(series.x.length).toBeLessThan(100);
    }
    expectWellFormedEvents(events, record);
  });

  it('a signal aborted before the start keeps only the start points', async () => {
    const controller = new AbortController();
    controller.abort();
    const { record } = await run({}, { signal: controller.signal });
    expect(record.status).toBe('cancelled');
    for (const series of record.series) expect([series.x, series.y]).toEqual([[-7], [2]]);
  });
});
