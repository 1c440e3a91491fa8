import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../shared/events';
import { type LayerSummary, activationSeries } from '../../shared/slots/init-activations';
import { type RunRecord, runRecordSchema } from '../../shared/runs';
import { initBackend } from '../backend';
import {
  type RecordedRun,
  expectClaimsHold,
  expectWellFormedEvents,
  recordRun,
  seriesNamed,
} from '../runs.test-helpers';
import { histogram } from './init-activations';

/*
 * §3 at the book's size (1,000 x 100 inputs, 5 layers of 100 units): the whole 12-combination grid
 * takes about two seconds, so the "must show" checks run on it as the book draws it.
 */

const run = (params: Record<string, unknown> = {}, options = {}) => recordRun('init-activations', params, options);
const SAMPLES = 1000 * 100;

function layers(record: RunRecord, combination: string): LayerSummary[] {
  return [1, 2, 3, 4, 5].map((k) => record.summary[`${combination}|layer ${k}`] as LayerSummary);
}

/** The share of a layer's histogram counts in the given bins. */
function shareIn(record: RunRecord, name: string, bins: number[]): number {
  const { y } = seriesNamed(record, name);
  return bins.reduce((sum, b) => sum + y[b]!, 0) / SAMPLES;
}

beforeAll(async () => {
  await initBackend();
});

describe('histogram (numpy.histogram semantics)', () => {
  it('counts equal bins over [lo, hi], the last one closed, and drops what lies outside', () => {
    expect(histogram([0, 0.1, 0.5, 0.99, 1, 1.5, -0.2], 2, 0, 1)).toEqual({ centres: [0.25, 0.75], counts: [2, 3] });
    expect(histogram([3, 3, 3], 2, 3, 3)).toEqual({ centres: [2.75, 3.25], counts: [0, 3] });
  });
});

describe("the book's grid: sigmoid / tanh / relu x std 1 / 0.01 / Xavier / He", () => {
  let grid: RecordedRun;
  beforeAll(async () => {
    grid = await run({ grid: true });
  });

  it('has one 30-bin histogram per layer of every combination, named <activation>|<init>|layer <k>', () => {
    const { record } = grid;
    expect(record.status).toBe('completed');
    runRecordSchema.parse(record);
    const names: string[] = [];
    for (const activation of ['sigmoid', 'tanh', 'relu'] as const)
      for (const init of [1, 0.01, 'xavier', 'he'] as const)
        for (let k = 1; k <= 5; k++) names.push(activationSeries(activation, init, k).name);
    expect(record.series.map((s) => s.name)).toEqual(names);
    expect(names[0]).toBe('sigmoid|1|layer 1');
    expect(names.at(-1)).toBe('relu|he|layer 5');
    for (const series of record.series) {
      expect(series.metric).toBe('histogram');
      expect(series.x).toHaveLength(30);
      series.x.forEach((centre, b) => expect(centre).toBeCloseTo((b + 0.5) / 30, 12));
    }
    // Sigmoid outputs all lie in (0, 1): every one is counted.
    expect(seriesNamed(record, 'sigmoid|xavier|layer 3').y.reduce((a, b) => a + b, 0)).toBe(SAMPLES);
    expect(Object.keys(record.summary)).toEqual(names);
  });

  it('std 1 + sigmoid: the outputs pile up at 0 and 1 (mostly saturated) in every layer', () => {
    for (const [k, layer] of layers(grid.record, 'sigmoid|1').entries()) {
      expect(layer.saturated!, `layer ${k + 1}`).toBeGreaterThan(50);
      expect(shareIn(grid.record, `sigmoid|1|layer ${k + 1}`, [0, 29]), `layer ${k + 1} end bins`).toBeGreaterThan(0.4);
    }
  });

  it('std 0.01 + sigmoid: every output sits near 0.5 in every layer', () => {
    for (const [k, layer] of layers(grid.record, 'sigmoid|0.01').entries()) {
      expect(layer.mean, `layer ${k + 1}`).toBeCloseTo(0.5, 1);
      expect(layer.std, `layer ${k + 1}`).toBeLessThan(0.03);
      expect(layer.saturated).toBe(0);
      // bins 12..17 span [0.4, 0.6): all but a few of 100,000 outputs (layer 1, std 0.025, has tails)
      expect(shareIn(grid.record, `sigmoid|0.01|layer ${k + 1}`, [12, 13, 14, 15, 16, 17])).toBeGreaterThan(0.999);
    }
  });

  it('Xavier + sigmoid: a broad spread in every layer, hardly saturated', () => {
    for (const [k, layer] of layers(grid.record, 'sigmoid|xavier').entries()) {
      expect(layer.std, `layer ${k + 1}`).toBeGreaterThan(0.1);
      expect(layer.saturated!, `layer ${k + 1}`).toBeLessThan(5);
      const occupied = seriesNamed(grid.record, `sigmoid|xavier|layer ${k + 1}`).y.filter(
        (count) => count > SAMPLES / 100,
      );
      expect(occupied.length, `layer ${k + 1} bins with > 1%`).toBeGreaterThanOrEqual(10);
    }
  });

  it('ReLU: std 0.01 collapses toward 0 with depth, Xavier shrinks, He keeps the same spread', () => {
    const std = (combination: string) => layers(grid.record, combination).map((layer) => layer.std);
    const small = std('relu|0.01');
    small.slice(1).forEach((s, i) => expect(s, `layer ${i + 2}`).toBeLessThan(0.2 * small[i]!));
    const xavier = std('relu|xavier');
    expect(xavier[4]!).toBeLessThan(0.5 * xavier[0]!);
    const he = std('relu|he');
    expect(Math.max(...he) / Math.min(...he)).toBeLessThan(1.5);
    // About half of a ReLU layer's outputs are exactly 0, whatever the scale.
    for (const layer of layers(grid.record, 'relu|he')) expect(layer.zero!).toBeGreaterThan(40);
  });

  it("the slot's claims (Fig. 6-10, 6-11, 6-13, 6-14) all hold at the book's size", () => {
    expectClaimsHold(grid.record, [
      'sigmoid-std1-saturates',
      'sigmoid-small-std-crowds',
      'sigmoid-xavier-spreads',
      'relu-small-std-collapses',
      'relu-he-steady',
    ]);
  });

  it('reports saturation for sigmoid only and zeros for ReLU only; what leaves (0, 1) is counted as outside', () => {
    for (const layer of layers(grid.record, 'sigmoid|he')) expect(layer).toMatchObject({ zero: null, outsideRange: 0 });
    for (const layer of layers(grid.record, 'tanh|xavier')) {
      expect(layer).toMatchObject({ saturated: null, zero: null });
      // tanh is odd: about half its outputs are negative, outside (0, 1).
      expect(layer.outsideRange).toBeGreaterThan(40);
    }
    for (const layer of layers(grid.record, 'relu|1')) expect(layer.saturated).toBeNull();
  });

  it('streams well-formed events: 60 steps, one log line per layer', () => {
    expectWellFormedEvents(grid.events, grid.record);
    const started = grid.events[0]!;
    if (started.type === 'started') expect(started.totalSteps).toBe(60);
    expect(grid.events.flatMap((e) => (e.type === 'progress' ? e.log : []))).toHaveLength(60);
    expect(grid.tensorsAfter).toBe(grid.tensorsBefore);
  });
});

describe('one combination', () => {
  it("defaults to the book's first figure: sigmoid, std 1, 5 layers, 30 bins on (0, 1)", async () => {
    const { record } = await run();
    expect(record.params).toMatchObject({
      activation: 'sigmoid',
      init: 1,
      grid: false,
      range: 'unit',
      bins: 30,
      samples: 1000,
      nodes: 100,
      layers: 5,
    });
    expect(record.series.map((s) => s.name)).toEqual([1, 2, 3, 4, 5].map((k) => `sigmoid|1|layer ${k}`));
  });

  it("'full' range spans each layer's outputs: tanh's negative half is counted", async () => {
    const { record } = await run({ activation: 'tanh', init: 'xavier', range: 'full', bins: 20, layers: 3 });
    expect(record.series).toHaveLength(3);
    for (const series of record.series) {
      expect(series.x).toHaveLength(20);
      expect(series.x[0]!).toBeLessThan(-0.5);
      expect(series.y.reduce((a, b) => a + b, 0)).toBe(SAMPLES);
      expect((record.summary[series.name] as LayerSummary).outsideRange).toBe(0);
    }
  });

  it('the same seed gives the same histograms; another seed others; every combination sees the same inputs', async () => {
    const params = { activation: 'relu', init: 'he', layers: 2, samples: 200 };
    const a = await run(params);
    const b = await run(params);
    const c = await run({ ...params, seed: 2 });
    expect(b.record.series).toEqual(a.record.series);
    expect(c.record.series).not.toEqual(a.record.series);
    // ReLU is scale-free: the same draws under std 1 give exactly the same zeros as under He.
    const std1 = await run({ ...params, init: 1 });
    expect((std1.record.summary['relu|1|layer 2'] as LayerSummary).zero).toBe(
      (a.record.summary['relu|he|layer 2'] as LayerSummary).zero,
    );
  });

  it("aborting at the first progress event ends 'cancelled' with the layers so far", async () => {
    const controller = new AbortController();
    const { record } = await run(
      { grid: true },
      {
        signal: controller.signal,
        onEvent: (event: ProgressEvent) => {
          if (event.type === 'progress') controller.abort();
        },
      },
    );
    expect(record.status).toBe('cancelled');
    expect(record.series).toHaveLength(60);
    const filled = record.series.filter((s) => s.y.length > 0);
    expect(filled.length).toBeGreaterThan(0);
    expect(filled.length).toBeLessThan(10);
  });
});
