import { beforeAll, describe, expect, it } from 'vitest';
import { initSeriesName } from '../../shared/slots/init-mnist';
import { ParamError, defaultParams, parseParams } from '../../shared/experiments';
import { runRecordSchema } from '../../shared/runs';
import { initBackend } from '../backend';
import {
  type RecordedRun,
  expectClaimsHold,
  expectWellFormedEvents,
  logLines,
  range,
  recordRun,
  seriesNamed,
} from '../runs.test-helpers';

/*
 * Fig. 6-15 at reduced size: 200 iterations of the book's net (784-[100 x 4]-10, ReLU, SGD lr 0.01,
 * batch 128) from std 0.01, Xavier and He weights, seed 1, on the real MNIST.
 */

const run = (params: Record<string, unknown>, options = {}) => recordRun('init-mnist', params, options);

beforeAll(async () => {
  await initBackend();
});

describe('init-mnist parameters', () => {
  it('defaults to the book: std 0.01, Xavier and He on the 5-layer ReLU net, SGD lr 0.01, 2,000 iterations of 128', () => {
    expect(defaultParams('init-mnist')).toEqual({
      iterations: 2000,
      batchSize: 128,
      hidden: [100, 100, 100, 100],
      activation: 'relu',
      lr: 0.01,
      inits: [0.01, 'xavier', 'he'],
      lrSchedule: 'constant',
      lrEvery: 500,
      lrFactor: 0.5,
      insideEvery: 0,
      seed: 1,
    });
  });

  it('names a series after its init; numbers typed as text are accepted; an init twice is not', () => {
    expect([0.01, 'xavier', 'he', 1].map((init) => initSeriesName(init as never))).toEqual([
      'std=0.01',
      'Xavier',
      'He',
      'std=1',
    ]);
    expect(parseParams('init-mnist', { inits: ['0.05', 'he'] }).inits).toEqual([0.05, 'he']);
    expect(() => parseParams('init-mnist', { inits: ['he', 'he'] })).toThrow(ParamError);
    expect(() => parseParams('init-mnist', { inits: [0.01, '0.01'] })).toThrow(/each init may appear once/);
    expect(() => parseParams('init-mnist', { inits: [] })).toThrow(ParamError);
    expect(() => parseParams('init-mnist', { inits: ['glorot'] })).toThrow(ParamError);
  });
});

describe('init-mnist, 200 iterations', () => {
  let book: RecordedRun;
  beforeAll(async () => {
    book = await run({ iterations: 200 });
  });

  it('has one loss series of 200 points per init, named std=0.01, Xavier, He', () => {
    const { record } = book;
    expect(record.status).toBe('completed');
    runRecordSchema.parse(record);
    expect(record.series.map((s) => s.name)).toEqual(['std=0.01', 'Xavier', 'He']);
    for (const series of record.series) {
      expect(series.metric).toBe('loss');
      expect(series.x).toEqual(range(200));
      expect(series.y.every(Number.isFinite)).toBe(true);
      expect(record.summary[series.name]).toMatchObject({ iterations: 200, finalLoss: series.y[199] });
    }
  });

  it("std 0.01 does not learn (the loss stays at ln 10 = 2.30); He learns fastest, then Xavier (the slot's claims)", () => {
    expectClaimsHold(book.record, ['small-std-stuck', 'xavier-he-learn', 'he-below-xavier']);
  });

  it('logs every init at iterations 0 and 100, streams well-formed events, leaves no tensors', () => {
    expectWellFormedEvents(book.events, book.record);
    const log = logLines(book.events);
    for (const name of ['std=0.01', 'Xavier', 'He']) {
      expect(
        log.some((line) => line === `iteration 0  ${name}: ${seriesNamed(book.record, name).y[0]!.toFixed(4)}`),
      ).toBe(true);
      expect(
        log.some(
          (line) =>
            line.startsWith('iteration 100 ') &&
            line.endsWith(`${name}: ${seriesNamed(book.record, name).y[100]!.toFixed(4)}`),
        ),
      ).toBe(true);
    }
    expect(book.tensorsAfter).toBe(book.tensorsBefore);
  });
});

describe('init-mnist on threads', () => {
  it('three nets on 2 threads give the series of one thread', async () => {
    const params = { iterations: 20, hidden: [50, 50] };
    const one = await run(params);
    const two = await run(params, { threads: 2 });
    expect(two.record.status).toBe('completed');
    expect(two.record.series).toEqual(one.record.series);
  });
});
