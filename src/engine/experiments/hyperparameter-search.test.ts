import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bestTrialLine, pythonFloat } from '../../shared/book-format';
import type { Series } from '../../shared/runs';
import { trialSeries, trialStartLine } from '../../shared/slots/hyperparameter-search';
import { ParamError, defaultParams, parseParams } from '../../shared/experiments';
import { runRecordSchema } from '../../shared/runs';
import { initBackend } from '../backend';
import type { RunOptions } from '../runner';
import { defaultDataDir } from '../data/mnist';
import {
  type RecordedRun,
  expectWellFormedEvents,
  logLines,
  range,
  recordRun,
  seriesNamed,
} from '../runs.test-helpers';
import { type TrialResult, sampleTrials, searchJob, searchSummary, splitTrainingImages } from './hyperparameter-search';
import { createMemberNet } from './epoch-nets';
import { TPE_STARTUP_TRIALS } from '../search/tpe-sampler';

/*
 * Fig. 6-24 at reduced size: 8 trials of 10 epochs on the book's net (784-[100 x 6]-10, SGD, batch
 * 100) and split (the first 500 training images: 400 to learn, 100 to validate), seed 1.
 */

const run = (params: Record<string, unknown>, options: RunOptions = {}) =>
  recordRun('hyperparameter-search', params, options);
const params = (input: Record<string, unknown> = {}) => parseParams('hyperparameter-search', input);

beforeAll(async () => {
  await initBackend();
});

describe('hyperparameter-search parameters', () => {
  it('default to the book: 100 trials of 50 epochs, 500 images of which 20% validate, lr 1e-6..1e-2, weight decay 1e-8..1e-4', () => {
    expect(defaultParams('hyperparameter-search')).toEqual({
      trials: 100,
      epochs: 50,
      trainSize: 500,
      validationSplit: 0.2,
      batchSize: 100,
      hidden: [100, 100, 100, 100, 100, 100],
      lrMin: 1e-6,
      lrMax: 1e-2,
      weightDecayMin: 1e-8,
      weightDecayMax: 1e-4,
      sampler: 'random',
      searchAlso: [],
      pruning: 'none',
      lrSchedule: 'constant',
      lrEvery: 50,
      lrFactor: 0.5,
      insideEvery: 0,
      seed: 1,
    });
  });

  it('an empty range is a ParamError naming its lower end; so is a split that leaves no image on one side', () => {
    /** A ParamError whose one issue names `name`. */
    const namesOnly = (name: string) => new RegExp(`^${name}: [^\\n]*$`);
    expect(() => params({ lrMin: 0.01, lrMax: 0.01 })).toThrow(ParamError);
    expect(() => params({ lrMin: 0.01, lrMax: 0.01 })).toThrow(/^lrMin: lrMin \(0\.01\) must be below lrMax \(0\.01\)/);
    expect(() => params({ weightDecayMin: 1e-3 })).toThrow(namesOnly('weightDecayMin'));
    expect(() => params({ trainSize: 4, validationSplit: 0.2 })).toThrow(namesOnly('validationSplit'));
    expect(() => params({ lrMin: 0 })).toThrow(namesOnly('lrMin'));
  });
});

describe('hyperparameter-search sampling and split', () => {
  it('samples every trial log-uniformly inside the ranges, from the seed alone', () => {
    const wide = params({ trials: 1000 });
    const trials = sampleTrials(wide);
    for (const { lr, weightDecay } of trials) {
      expect(lr).toBeGreaterThanOrEqual(1e-6);
      expect(lr).toBeLessThan(1e-2);
      expect(weightDecay).toBeGreaterThanOrEqual(1e-8);
      expect(weightDecay).toBeLessThan(1e-4);
    }
    // Log-uniform: each decade holds about a quarter of the draws (uniform would put 90% in the top one).
    for (const decade of [-6, -5, -4, -3]) {
      const share = trials.filter(({ lr }) => Math.floor(Math.log10(lr)) === decade).length / trials.length;
      expect(share).toBeGreaterThan(0.2);
      expect(share).toBeLessThan(0.3);
    }
    const below = trials.filter(({ weightDecay }) => weightDecay < 1e-6).length / trials.length;
    expect(below).toBeGreaterThan(0.45);
    expect(below).toBeLessThan(0.55);
    expect(sampleTrials(wide)).toEqual(trials);
    expect(sampleTrials(params({ trials: 8 }))).toEqual(trials.slice(0, 8));
    expect(sampleTrials(params({ trials: 8, seed: 2 }))).not.toEqual(trials.slice(0, 8));
  });

  it('splits the first 500 training images, shuffled by the seed, into 100 validation and 400 training images', () => {
    const { train, validation } = splitTrainingImages(params());
    expect(validation).toHaveLength(100);
    expect(train).toHaveLength(400);
    expect([...train, ...validation].sort((a, b) => a - b)).toEqual(range(500));
    expect(validation).not.toEqual(range(100));
    expect(splitTrainingImages(params({ seed: 2 })).validation).not.toEqual(validation);
    const job = searchJob(params({ trials: 3 }), sampleTrials(params({ trials: 3 })));
    expect(job.train).toEqual({ indices: train });
    expect(job.evaluation).toEqual({ split: 'train', rows: { indices: validation }, metric: 'validation accuracy' });
    expect(job.batches).toBe('shuffle');
  });
});

describe('hyperparameter-search summary', () => {
  it("prints the book's line: Best-k(val acc) | lr, weight decay, as Python's str() of 2 significant digits", () => {
    expect(bestTrialLine(1, { validationAccuracy: 0.83, lr: 0.009234, weightDecay: 3.81e-7 })).toBe(
      'Best-1(val acc:0.83) | lr:0.0092, weight decay:3.8e-07',
    );
    expect([1, 0.1, 0.0001, 0.00009, 1.234e-5, 5e-11].map((v) => pythonFloat(v))).toEqual([
      '1.0',
      '0.1',
      '0.0001',
      '9e-05',
      '1.2e-05',
      '5e-11',
    ]);
    expect(trialStartLine(7, { lr: 0.0092, weightDecay: 3.8e-7 })).toBe('trial 7 | lr:0.0092, weight decay:3.8e-7');
  });

  it('ranks trials by final validation accuracy (ties in trial order, trials without points, then diverged ones last) and tables the top 20', () => {
    const trials = range(26).map((i) => ({ lr: 10 ** (-6 + i / 6), weightDecay: 1e-6 }));
    // Trial 25 has no validation point yet; trial 26 reached 0.9, then diverged.
    const validation = (i: number) =>
      i === 24
        ? { x: [], y: [] }
        : i === 25
          ? { x: [0, 1], y: [0.1, 0.9], divergedAt: 2 }
          : { x: [0, 1], y: [0.1, Math.round(i / 2) / 20] };
    const series = (member: number, metric: string): Series =>
      metric === 'train accuracy'
        ? {
            ...trialSeries(member + 1, 'train', trials[member]!),
            x: [0, 1],
            y: [0.1, member >= 24 ? 0.1 : member / 25],
          }
        : { ...trialSeries(member + 1, 'validation', trials[member]!), ...validation(member) };
    const { trials: ranked, table } = searchSummary(trials, series);
    expect(ranked.map((t) => t.trial).slice(0, 4)).toEqual([24, 22, 23, 20]);
    expect(ranked.at(-2)).toEqual<TrialResult>({
      trial: 25,
      ...trials[24]!,
      validationAccuracy: null,
      trainAccuracy: 0.1,
      epochs: 0,
    });
    expect(ranked.at(-1)).toEqual<TrialResult>({
      trial: 26,
      ...trials[25]!,
      validationAccuracy: 0.9,
      trainAccuracy: 0.1,
      epochs: 1,
      divergedAt: 2,
    });
    expect(ranked[0]).toEqual<TrialResult>({
      trial: 24,
      ...trials[23]!,
      validationAccuracy: 0.6,
      trainAccuracy: 23 / 25,
      epochs: 1,
    });
    expect(table).toHaveLength(20);
    expect(table[0]).toBe(bestTrialLine(1, ranked[0] as TrialResult & { validationAccuracy: number }));
  });
});

describe('hyperparameter-search, 8 trials of 10 epochs', () => {
  const trials = 8;
  const epochs = 10;
  let book: RecordedRun;
  beforeAll(async () => {
    book = await run({ trials, epochs });
  });

  it('has a train and a validation series per trial, one point per epoch from 0, and a summary ranking them', () => {
    const { record } = book;
    expect(record.status).toBe('completed');
    runRecordSchema.parse(record);
    expect(record.series.map((s) => `${s.name}|${s.metric}`)).toEqual(
      range(trials).flatMap((i) => [
        `trial ${i + 1} train|train accuracy`,
        `trial ${i + 1} validation|validation accuracy`,
      ]),
    );
    for (const series of record.series) expect(series.x).toEqual(range(epochs + 1));
    const summary = record.summary as { trials: TrialResult[]; table: string[] };
    const sampled = sampleTrials(params({ trials }));
    expect(summary.trials.map((t) => t.trial).sort((a, b) => a - b)).toEqual(range(trials).map((i) => i + 1));
    for (const t of summary.trials) {
      expect(t).toMatchObject({
        ...sampled[t.trial - 1],
        epochs,
        validationAccuracy: seriesNamed(record, `trial ${t.trial} validation`).y[epochs],
      });
    }
    const accuracies = summary.trials.map((t) => t.validationAccuracy!);
    expect(accuracies).toEqual([...accuracies].sort((a, b) => b - a));
    expect(summary.table).toHaveLength(trials);
    summary.table.forEach((line, i) =>
      expect(line).toMatch(new RegExp(`^Best-${i + 1}\\(val acc:[0-9.]+\\) \\| lr:[0-9.e-]+, weight decay:[0-9.e-]+$`)),
    );
  });

  it('the best trials have the highest learning rates; tiny learning rates stay at chance', () => {
    const ranked = (book.record.summary as { trials: TrialResult[] }).trials;
    const lrs = ranked.map((t) => t.lr).sort((a, b) => a - b);
    const median = (lrs[trials / 2 - 1]! + lrs[trials / 2]!) / 2;
    expect(ranked[0]!.lr).toBe(lrs.at(-1));
    expect(ranked[0]!.validationAccuracy).toBeGreaterThan(0.25);
    for (const t of ranked.filter((t) => t.validationAccuracy! >= 0.2)) expect(t.lr).toBeGreaterThan(median);
    const tiny = ranked.filter((t) => t.lr < 1e-4);
    expect(tiny.length).toBeGreaterThanOrEqual(2);
    for (const t of tiny) {
      const validation = seriesNamed(book.record, `trial ${t.trial} validation`).y;
      expect(Math.abs(validation[epochs]! - validation[0]!)).toBeLessThanOrEqual(0.03);
      expect(Math.abs(validation[epochs]! - 0.1)).toBeLessThan(0.1);
    }
  });

  it("logs each trial's sampled values before any point, then a line per finished trial; progress ends at trials x epochs x batches", () => {
    const sampled = sampleTrials(params({ trials }));
    const first = book.events.find((e) => e.type === 'progress');
    expect(first?.type === 'progress' && first.points).toEqual([]);
    expect(first?.type === 'progress' && first.log).toEqual(sampled.map((values, i) => trialStartLine(i + 1, values)));
    const ends = logLines(book.events).filter((line) => /^trial \d+: /.test(line));
    expect(ends).toHaveLength(trials);
    const accuracy = (trial: number) => seriesNamed(book.record, `trial ${trial} validation`).y[epochs];
    expect(ends[0]).toBe(
      `trial 1: val acc:${accuracy(1)} | lr:${sampled[0]!.lr}, weight decay:${sampled[0]!.weightDecay}`,
    );
    const last = book.events.filter((e) => e.type === 'progress').at(-1);
    // 400 training images (500 less the validation share) in batches of 100.
    const batches = trials * epochs * 4;
    expect(last?.type === 'progress' && [last.step, last.totalSteps]).toEqual([batches, batches]);
    expectWellFormedEvents(book.events, book.record);
    expect(book.tensorsAfter).toBe(book.tensorsBefore);
  });
});

describe('hyperparameter-search on threads', () => {
  it('gives the same record on 2 threads and with other test images: the test split is never used', async () => {
    const small = { trials: 4, epochs: 2 };
    const one = await run(small);
    const otherTests = datasetWithOtherTestImages();
    try {
      const two = await run(small, { threads: 2, dataDir: otherTests });
      expect(two.record.status).toBe('completed');
      expect(two.record.series).toEqual(one.record.series);
      expect(two.record.summary).toEqual(one.record.summary);
    } finally {
      rmSync(otherTests, { recursive: true, force: true });
    }
  });

  it('gives the same record when each of 2 threads trains its trials in groups (5, 5, 2 and 5, 5, 1)', async () => {
    const many = { trials: 23, epochs: 1, trainSize: 200 };
    const one = await run(many);
    const two = await run(many, { threads: 2 });
    expect(two.record.status).toBe('completed');
    expect(two.record.series).toEqual(one.record.series);
    expect(two.record.summary).toEqual(one.record.summary);
  });
});

describe('hyperparameter-search samplers', () => {
  const small = { trials: 12, epochs: 1, trainSize: 200, lrMin: 1e-4, lrMax: 1 };
  const trialValues = (record: RecordedRun['record']) =>
    (record.summary as { trials: TrialResult[] }).trials
      .sort((a, b) => a.trial - b.trial)
      .map(({ lr, weightDecay }) => ({ lr, weightDecay }));

  it('grid: 4 trials are the 2 x 2 grid of both ranges’ ends, each once', () => {
    const trials = sampleTrials(params({ trials: 4, sampler: 'grid' }));
    const corners = new Set(
      trials.map(({ lr, weightDecay }) => `${lr.toExponential(3)}|${weightDecay.toExponential(3)}`),
    );
    expect(corners).toEqual(
      new Set(['1.000e-6|1.000e-8', '1.000e-6|1.000e-4', '1.000e-2|1.000e-8', '1.000e-2|1.000e-4']),
    );
  });

  it('a trial starts from the same weights in whichever round it is trained', () => {
    const p = params({ trials: 12 });
    const trials = sampleTrials(p);
    const whole = createMemberNet(searchJob(p, trials), 11, 784);
    const late = createMemberNet(searchJob(p, trials.slice(10), 10), 1, 784);
    expect(late.params.W1).toEqual(whole.params.W1);
    expect(createMemberNet(searchJob(p, trials), 10, 784).params.W1).not.toEqual(whole.params.W1);
  });

  it("TPE: the first round is the random search's, the next is proposed from it; the same on 2 threads", async () => {
    const random = await run({ ...small, trials: TPE_STARTUP_TRIALS });
    const tpe = await run({ ...small, sampler: 'tpe' });
    expect(tpe.record.status).toBe('completed');
    expect(tpe.record.series.slice(0, 2 * TPE_STARTUP_TRIALS)).toEqual(random.record.series);
    const values = trialValues(tpe.record);
    expect(values).toHaveLength(12);
    // The second round is TPE's own: not the random search's next draws, inside the ranges.
    const randomNext = sampleTrials(params({ ...small, trials: 12 })).slice(TPE_STARTUP_TRIALS);
    for (const [i, { lr, weightDecay }] of values.slice(TPE_STARTUP_TRIALS).entries()) {
      expect(lr).not.toBe(randomNext[i]!.lr);
      expect(lr >= small.lrMin && lr <= small.lrMax).toBe(true);
      expect(weightDecay >= 1e-8 && weightDecay <= 1e-4).toBe(true);
    }
    const logs = logLines(tpe.events);
    expect(logs.indexOf(trialStartLine(11, values[10]!))).toBeGreaterThan(
      logs.findIndex((line) => line.startsWith('trial 10: ')),
    );
    const two = await run({ ...small, sampler: 'tpe' }, { threads: 2 });
    expect(two.record.series).toEqual(tpe.record.series);
    expectWellFormedEvents(tpe.events, tpe.record);
    expect(tpe.tensorsAfter).toBe(tpe.tensorsBefore);
  });
});

describe('hyperparameter-search over more parameters (searchAlso)', () => {
  const ranges = [
    { param: 'optimizer', scale: 'choice', choices: ['SGD', 'Adam'] },
    { param: 'hiddenLayers', scale: 'linear', min: 1, max: 3 },
    { param: 'batchNorm', scale: 'choice', choices: [false, true] },
  ];

  it('samples each range after lr and weight decay, which stay as without them', () => {
    const plain = sampleTrials(params({ trials: 12 }));
    const more = sampleTrials(params({ trials: 12, searchAlso: ranges }));
    expect(more[0]).toMatchObject({ lr: plain[0]!.lr, weightDecay: plain[0]!.weightDecay });
    for (const trial of more) {
      expect(['SGD', 'Adam']).toContain(trial.also?.optimizer);
      expect([1, 2, 3]).toContain(trial.also?.hiddenLayers);
      expect(typeof trial.also?.batchNorm).toBe('boolean');
    }
    expect(new Set(more.map((t) => t.also?.optimizer))).toEqual(new Set(['SGD', 'Adam']));
  });

  it('trains each trial with its values: the optimizer at its defaults with the trial’s lr, its layers, its Batch Norm', () => {
    const p = params({ trials: 2, hidden: [40, 30], searchAlso: ranges });
    const trials = [
      { lr: 0.01, weightDecay: 1e-6, also: { optimizer: 'Adam' as const, hiddenLayers: 3, batchNorm: true } },
      { lr: 0.02, weightDecay: 0, also: { optimizer: 'SGD' as const, hiddenLayers: 1, batchNorm: false } },
    ];
    const [adam, sgd] = searchJob(p, trials).members;
    expect(adam).toMatchObject({
      hidden: [40, 30, 30],
      useBatchNorm: true,
      lambda: 1e-6,
      activation: 'relu',
      init: 'he',
    });
    expect(adam!.optimizer).toEqual({ name: 'Adam', lr: 0.01, beta1: 0.9, beta2: 0.999 });
    expect(sgd).toMatchObject({ hidden: [40], useBatchNorm: false, optimizer: { name: 'SGD', lr: 0.02 } });
  });

  it('keeps each trial’s values in its series’ keys, its log lines and the summary', async () => {
    const { record, events } = await run({ trials: 3, epochs: 1, trainSize: 100, hidden: [20], searchAlso: ranges });
    expect(record.status).toBe('completed');
    const trials = record.summary.trials as TrialResult[];
    for (const trial of trials) {
      const key = seriesNamed(record, `trial ${trial.trial} validation`).key;
      expect({ optimizer: key.optimizer, hiddenLayers: key.hiddenLayers, batchNorm: key.batchNorm }).toEqual(
        trial.also,
      );
      expect(logLines(events)).toContain(trialStartLine(trial.trial, trial));
    }
    expect((record.summary.table as string[])[0]).toMatch(
      /\| number of hidden layers:\d, optimizer:(SGD|Adam), Batch Norm:(true|false)$/,
    );
  });
});

describe('hyperparameter-search with median pruning', () => {
  const search = { trials: 25, epochs: 6, trainSize: 200, lrMin: 1e-5, lrMax: 0.5, seed: 3 };
  let plain: RecordedRun;
  let pruned: RecordedRun;
  beforeAll(async () => {
    plain = await run(search);
    pruned = await run({ ...search, pruning: 'median' });
  });
  const trialsOf = (r: RecordedRun) => r.record.summary.trials as TrialResult[];

  it('stops trials of later rounds that fall below the earlier trials’ median; the first round never', () => {
    expect(pruned.record.status).toBe('completed');
    const stopped = trialsOf(pruned).filter((t) => t.prunedAt !== undefined);
    expect(stopped.length).toBeGreaterThan(0);
    expect(pruned.record.summary.pruned).toBe(stopped.length);
    for (const t of stopped) {
      expect(t.trial).toBeGreaterThan(10);
      expect(t.prunedAt).toBeGreaterThanOrEqual(1);
      expect(t.prunedAt).toBeLessThan(search.epochs);
      expect(seriesNamed(pruned.record, `trial ${t.trial} validation`).x.at(-1)).toBe(t.prunedAt);
      expect(
        logLines(pruned.events).some((l) => l.startsWith(`trial ${t.trial}: pruned after epoch ${t.prunedAt},`)),
      ).toBe(true);
    }
    // Pruned trials rank after those that ran every epoch, and are not in the book's table.
    const ranks = trialsOf(pruned).map((t) => Number(t.prunedAt !== undefined));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(pruned.record.summary.table).toHaveLength(search.trials - stopped.length);
    expect(plain.record.summary.pruned).toBeUndefined();
  });

  it('changes nothing of what a trial learns: every series is the same as without pruning, up to where it stopped', () => {
    for (const series of pruned.record.series) {
      const full = seriesNamed(plain.record, series.name);
      expect(series.y).toEqual(full.y.slice(0, series.y.length));
    }
    const kept = trialsOf(pruned).filter((t) => t.prunedAt === undefined);
    for (const t of kept) expect(trialsOf(plain).find((p) => p.trial === t.trial)).toEqual(t);
  });

  it('saves the pruned trials’ updates (the progress bar still ends full), and gives the same record on 2 threads', async () => {
    const last = pruned.events.at(-2);
    expect(last?.type === 'progress' && last.step).toBe(last?.type === 'progress' && last.totalSteps);
    const two = await run({ ...search, pruning: 'median' }, { threads: 2 });
    expect(two.record.series).toEqual(pruned.record.series);
    expect(two.record.summary).toEqual(pruned.record.summary);
  });
});

describe('hyperparameter-search cancelled', () => {
  it('keeps the points gathered so far and ranks the trials by them', async () => {
    const controller = new AbortController();
    const cancelled = await run(
      { trials: 4, epochs: 30 },
      {
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'progress' && event.points.length > 0) controller.abort();
        },
      },
    );
    const { record } = cancelled;
    expect(record.status).toBe('cancelled');
    expectWellFormedEvents(cancelled.events, record);
    const validation = range(4).map((i) => seriesNamed(record, `trial ${i + 1} validation`));
    expect(validation[0]!.x.length).toBeGreaterThan(0);
    expect(validation.reduce((points, s) => points + s.x.length, 0)).toBeLessThan(4 * 31);
    const ranked = (record.summary as { trials: TrialResult[] }).trials;
    expect(ranked.map((t) => t.trial).sort()).toEqual([1, 2, 3, 4]);
    for (const t of ranked) {
      const series = validation[t.trial - 1]!;
      expect(t).toMatchObject({ epochs: series.x.at(-1) ?? 0, validationAccuracy: series.y.at(-1) ?? null });
    }
    const accuracies = ranked.map((t) => t.validationAccuracy ?? -1);
    expect(accuracies).toEqual([...accuracies].sort((a, b) => b - a));
  });
});

/** A dataset folder with MNIST's training files and ten blank test images all labelled 3. */
function datasetWithOtherTestImages(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dlfs-search-'));
  for (const file of readdirSync(defaultDataDir()).filter((name) => name.startsWith('train-'))) {
    symlinkSync(path.join(defaultDataDir(), file), path.join(dir, file));
  }
  writeFileSync(path.join(dir, 't10k-images-idx3-ubyte'), idxFile([10, 28, 28], 0));
  writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), idxFile([10], 3));
  return dir;
}

/** An IDX file of unsigned bytes with dimensions `dims`, every byte `value`. */
function idxFile(dims: number[], value: number): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, 0x0800 | dims.length);
  dims.forEach((d, i) => header.setUint32(4 + 4 * i, d));
  const body = new Uint8Array(dims.reduce((a, b) => a * b, 1)).fill(value);
  return new Uint8Array([...new Uint8Array(header.buffer), ...body]);
}
