import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPERIMENT_IDS, type ExperimentId } from './experiments';
import { upgradeRunRecord } from './record-upgrade';
import { type CheckedClaim, checkClaims, claimLine, claimOutcomes } from './run-claims';
import type { Series } from './runs';
import type { Metric, SeriesKey } from './series';

const golden = (id: ExperimentId) =>
  upgradeRunRecord(
    JSON.parse(readFileSync(path.join(import.meta.dirname, '../../fixtures/golden', `${id}.json`), 'utf8')),
  );

/** Each claim's verdict: true (holds), false (does not hold) or null (the run cannot say). */
const verdicts = (checked: CheckedClaim[]) =>
  Object.fromEntries(checked.map((c) => [c.id, c.result ? c.result.holds : null]));

const series = (name: string, metric: Metric, key: SeriesKey, y: number[], x = y.map((_, i) => i)): Series => ({
  name,
  metric,
  key,
  x,
  y,
});
const claims = (experiment: ExperimentId, s: Series[], summary: Record<string, unknown> = {}) =>
  verdicts(checkClaims({ experiment, series: s, summary, params: null }));

describe('claims on the golden records (reduced sizes: some cannot say, some do not hold)', () => {
  /**
   * Each claim's verdict on its golden record; an experiment not listed: its claims only have to judge
   * it, with their text in both languages.
   */
  const expected: { [Id in ExperimentId]?: Record<string, boolean | null> } = {
    'optimizer-paths': { 'sgd-zigzags': true, 'sgd-longest-path': true, 'adaptive-end-nearer': true },
    'optimizers-mnist': { 'others-below-sgd': true },
    // 20 units per layer: std 1 saturates only 38% of sigmoid outputs (67% at the book's 100 units).
    'init-activations': {
      'sigmoid-std1-saturates': false,
      'sigmoid-small-std-crowds': true,
      'sigmoid-xavier-spreads': true,
      'relu-small-std-collapses': true,
      'relu-he-steady': true,
    },
    // 40 iterations of 32 images: Xavier and He have not yet left std 0.01 behind by 0.05.
    'init-mnist': { 'small-std-stuck': true, 'xavier-he-learn': false, 'he-below-xavier': true },
    // Recorded without the insides: the spread claim cannot say.
    'batch-norm': {
      'bn-ahead-at-most-scales': true,
      'plain-fails-at-extremes': true,
      'bn-keeps-activations-spread': null,
    },
    // 3 epochs: too short for the last-five-epochs claims.
    'weight-decay': { 'plain-overfits': null, 'narrower-gap': null, 'train-below-one': null },
    dropout: {
      'plain-overfits': null,
      'narrower-gap': null,
      'train-below-one': null,
      'ensemble-beats-one': null,
      'dropout-like-ensemble': null,
    },
    // 4 trials: too few for a top 5, and none sampled an lr below 1e-5.
    'hyperparameter-search': { 'best-lr-high': null, 'tiny-lr-chance': null },
  };
  it.each(EXPERIMENT_IDS)('%s', (id) => {
    const record = golden(id);
    const checked = checkClaims(record);
    for (const claim of checked) {
      expect(claim.text.en.length).toBeGreaterThan(0);
      expect(claim.text['zh-CN'].length).toBeGreaterThan(0);
      if (claim.result) expect(claim.result.detail['zh-CN'].length).toBeGreaterThan(0);
    }
    const verdictsOf = expected[id];
    if (!verdictsOf) return;
    expect(verdicts(checked)).toEqual(verdictsOf);
    expect(claimOutcomes(checked).map((c) => c.id)).toEqual(
      Object.entries(verdictsOf)
        .filter(([, v]) => v !== null)
        .map(([k]) => k),
    );
  });

  it('prints a claim as `lab run` does, with the numbers', () => {
    const stuck = checkClaims(golden('init-mnist')).find((c) => c.id === 'small-std-stuck')!;
    expect(claimLine(stuck)).toBe(
      'claim: With std 0.01 the net does not learn: its loss stays near ln 10 = 2.30: holds (loss 2.30 after 40 iterations)',
    );
    expect(stuck.result!.detail['zh-CN']).toBe('40 次迭代后损失函数值为 2.30');
  });

  it("a claim that does not hold on other settings than the book's names them", () => {
    const record = golden('init-mnist');
    const learn = checkClaims(record).find((c) => c.id === 'xavier-he-learn')!;
    expect(learn.result!.detail.en).toMatch(
      /; this run's settings differ from the book's: iterations 40, batchSize 32, hidden 30, 20$/,
    );
    expect(learn.result!.detail['zh-CN']).toMatch(/；本次运行的设置与书中不同：iterations 40/);
    const atBook = checkClaims({
      ...record,
      params: { ...record.params, iterations: 2000, batchSize: 128, hidden: [100, 100, 100, 100] },
    });
    expect(atBook.find((c) => c.id === 'xavier-he-learn')!.result!.detail.en).not.toMatch(/settings/);
  });

  it('an unknown experiment has no claims; an empty run cannot say', () => {
    expect(checkClaims({ experiment: 'nope', series: [] })).toEqual([]);
    for (const id of EXPERIMENT_IDS)
      for (const claim of checkClaims({ experiment: id, series: [] })) expect(claim.result, claim.id).toBeNull();
  });
});

describe('claims on hand-made series', () => {
  const flat = (value: number, n = 100) => Array.from({ length: n }, () => value);
  const falling = (from: number, to: number, n = 100) =>
    Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));
  /** Rises over the first half, then stays at `to` (an accuracy that has levelled off). */
  const plateau = (from: number, to: number, n: number) =>
    Array.from({ length: n }, (_, i) => from + (to - from) * Math.min(1, (2 * i) / (n - 1)));

  it('optimizers-mnist: the others below SGD, or not', () => {
    const run = (sgdEnd: number) => [
      series('SGD', 'loss', { optimizer: 'SGD' }, falling(2.3, sgdEnd)),
      series('Momentum', 'loss', { optimizer: 'Momentum' }, falling(2.3, 0.2)),
      series('AdaGrad', 'loss', { optimizer: 'AdaGrad' }, falling(2.3, 0.1)),
      series('Adam', 'loss', { optimizer: 'Adam' }, falling(2.3, 0.15)),
    ];
    expect(claims('optimizers-mnist', run(0.5))).toEqual({ 'others-below-sgd': true });
    expect(claims('optimizers-mnist', run(0.05))).toEqual({ 'others-below-sgd': false });
    expect(claims('optimizers-mnist', run(0.5).slice(1))).toEqual({ 'others-below-sgd': null });
    expect(claims('optimizers-mnist', [series('SGD', 'loss', { optimizer: 'SGD' }, [2.3, 2.2])])).toEqual({
      'others-below-sgd': null,
    });
  });

  it('init-mnist: std 0.01 stuck at ln 10 or learning; He below Xavier or not', () => {
    const run = (small: number[], xavierEnd: number, heEnd: number) => [
      series('std=0.01', 'loss', { init: 0.01 }, small),
      series('Xavier', 'loss', { init: 'xavier' }, falling(2.3, xavierEnd)),
      series('He', 'loss', { init: 'he' }, falling(2.3, heEnd)),
    ];
    expect(claims('init-mnist', run(flat(Math.log(10)), 0.6, 0.3))).toEqual({
      'small-std-stuck': true,
      'xavier-he-learn': true,
      'he-below-xavier': true,
    });
    expect(claims('init-mnist', run(falling(2.3, 1), 0.3, 0.6))).toEqual({
      'small-std-stuck': false,
      'xavier-he-learn': true,
      'he-below-xavier': false,
    });
    expect(claims('init-mnist', run(flat(2.3), 2.29, 2.28))['xavier-he-learn']).toBe(false);
    expect(claims('init-mnist', run(flat(2.3, 10), 1, 1))['small-std-stuck']).toBeNull();
  });

  it('optimizer-paths: SGD zig-zags and walks the longest way, or does not', () => {
    const zigzag = series('SGD', 'path', { optimizer: 'SGD' }, [2, -1.8, 1.6, -1.4, 1.2, -1], [-7, -6, -5, -4, -3, -2]);
    const straight = series(
      'AdaGrad',
      'path',
      { optimizer: 'AdaGrad' },
      [2, 1, 0.5, 0.2, 0.1, 0],
      [-7, -5, -3, -2, -1, -0.5],
    );
    expect(claims('optimizer-paths', [zigzag, straight])).toEqual({
      'sgd-zigzags': true,
      'sgd-longest-path': true,
      'adaptive-end-nearer': true,
    });
    const calmSgd = series(
      'SGD',
      'path',
      { optimizer: 'SGD' },
      [2, 1.9, 1.8, 1.7, 1.6, 1.5],
      [-7, -6.9, -6.8, -6.7, -6.6, -6.5],
    );
    const wildAdam = series('Adam', 'path', { optimizer: 'Adam' }, [2, -3, 3, -3, 3, -3], [-7, -7, -7, -7, -7, -7]);
    expect(claims('optimizer-paths', [calmSgd, wildAdam])).toEqual({
      'sgd-zigzags': false,
      'sgd-longest-path': false,
      'adaptive-end-nearer': false,
    });
  });

  it('init-activations: each claim from the layer summaries; an init the run did not compute cannot say', () => {
    const layers = (activation: 'sigmoid' | 'relu', init: 1 | 0.01 | 'xavier' | 'he', stats: object[]) =>
      stats.map((s, i) => ({
        series: series(`${activation}|${init}|layer ${i + 1}`, 'histogram', { activation, init, layer: i + 1 }, [1]),
        stats: { mean: 0.5, std: 0.2, saturated: null, zero: null, outsideRange: 0, ...s },
      }));
    const build = (groups: ReturnType<typeof layers>[]) => {
      const all = groups.flat();
      return claims(
        'init-activations',
        all.map((l) => l.series),
        Object.fromEntries(all.map((l) => [l.series.name, l.stats])),
      );
    };
    expect(
      build([
        layers('sigmoid', 1, [{ saturated: 80 }, { saturated: 90 }]),
        layers('sigmoid', 0.01, [{ std: 0.02 }, { std: 0.01 }]),
        layers('sigmoid', 'xavier', [{ std: 0.2 }, { std: 0.13 }]),
        layers('relu', 0.01, [{ std: 0.05 }, { std: 0.0001 }]),
        layers('relu', 'he', [{ std: 0.8 }, { std: 0.9 }]),
      ]),
    ).toEqual({
      'sigmoid-std1-saturates': true,
      'sigmoid-small-std-crowds': true,
      'sigmoid-xavier-spreads': true,
      'relu-small-std-collapses': true,
      'relu-he-steady': true,
    });
    expect(
      build([
        layers('sigmoid', 1, [{ saturated: 20 }, { saturated: 30 }]),
        layers('sigmoid', 0.01, [{ std: 0.2 }, { std: 0.1 }]),
        layers('sigmoid', 'xavier', [{ std: 0.2 }, { std: 0.05 }]),
        layers('relu', 0.01, [{ std: 0.05 }, { std: 0.04 }]),
        layers('relu', 'he', [{ std: 0.8 }, { std: 0.1 }]),
      ]),
    ).toEqual({
      'sigmoid-std1-saturates': false,
      'sigmoid-small-std-crowds': false,
      'sigmoid-xavier-spreads': false,
      'relu-small-std-collapses': false,
      'relu-he-steady': false,
    });
    expect(build([layers('sigmoid', 1, [{ saturated: 80 }])])).toEqual({
      'sigmoid-std1-saturates': true,
      'sigmoid-small-std-crowds': null,
      'sigmoid-xavier-spreads': null,
      'relu-small-std-collapses': null,
      'relu-he-steady': null,
    });
  });

  it('batch-norm: ahead at most scales, the plain net stuck at both ends, or not', () => {
    const run = (pairs: [number, number, number][]) =>
      pairs.flatMap(([scale, bn, plain]) => [
        series(`Batch Norm|std=${scale}`, 'train accuracy', { batchNorm: true, scale, split: 'train' }, [0.1, bn]),
        series(`Normal|std=${scale}`, 'train accuracy', { batchNorm: false, scale, split: 'train' }, [0.1, plain]),
      ]);
    expect(
      claims(
        'batch-norm',
        run([
          [1, 0.9, 0.1],
          [0.01, 0.9, 0.8],
          [0.0001, 0.8, 0.11],
        ]),
      ),
    ).toEqual({
      'bn-ahead-at-most-scales': true,
      'plain-fails-at-extremes': true,
      'bn-keeps-activations-spread': null,
    });
    expect(
      claims(
        'batch-norm',
        run([
          [1, 0.5, 0.9],
          [0.01, 0.5, 0.8],
          [0.0001, 0.8, 0.11],
        ]),
      ),
    ).toEqual({
      'bn-ahead-at-most-scales': false,
      'plain-fails-at-extremes': false,
      'bn-keeps-activations-spread': null,
    });
    // A plain net whose weights overflowed stops at its first epoch: it keeps its last accuracy.
    const diverged = run([
      [1, 0.9, 0.1],
      [0.0001, 0.8, 0.11],
    ]).map((s) => (s.name === 'Normal|std=1' ? { ...s, x: [0], y: [0.1], divergedAt: 1 } : s));
    expect(claims('batch-norm', diverged)).toEqual({
      'bn-ahead-at-most-scales': true,
      'plain-fails-at-extremes': true,
      'bn-keeps-activations-spread': null,
    });
  });

  it('batch-norm: the recorded spread kept by Batch Norm at the smallest scale, collapsed without it, or not', () => {
    const range = (min: number, max: number, last: number) => ({ min, max, last });
    const net = (scale: number, batchNorm: boolean, stds: ReturnType<typeof range>[]) => ({
      label: `${batchNorm ? 'Batch Norm' : 'Normal'}|std=${scale}`,
      key: { batchNorm, scale },
      batchNorm,
      activationStd: stds,
      normalizedStd: batchNorm ? stds : [],
    });
    const spreadClaim = (bnLast: number, plainMax: number) =>
      verdicts(
        checkClaims({
          experiment: 'batch-norm',
          series: [],
          inside: {
            nets: [
              net(1, false, [range(0.5, 3, 1)]),
              net(0.0001, true, [range(0.06, 1.2, 1), range(0.06, 1.1, bnLast)]),
              net(0.0001, false, [range(1e-4, 0.05, 0.01), range(1e-9, plainMax, 1e-9)]),
            ],
          },
        }),
      )['bn-keeps-activations-spread'];
    expect(spreadClaim(0.9, 1e-6)).toBe(true);
    expect(spreadClaim(0.3, 1e-6)).toBe(false);
    expect(spreadClaim(0.9, 0.02)).toBe(false);
  });

  describe.each([
    ['weight-decay', (value: number) => ({ lambda: value })],
    ['dropout', (value: number) => ({ dropoutRatio: value })],
  ] as const)('%s: the overfitting claims', (id, keyOf) => {
    const run = (plain: [number, number], regularised: [number, number], epochs = 30) =>
      (
        [
          [0, plain],
          [id === 'dropout' ? 0.2 : 0.1, regularised],
        ] as const
      ).flatMap(([value, [train, test]]) => [
        series(
          `${value} train`,
          'train accuracy',
          { ...keyOf(value), split: 'train' },
          plateau(0.1, train, epochs + 1),
        ),
        series(`${value} test`, 'test accuracy', { ...keyOf(value), split: 'test' }, plateau(0.1, test, epochs + 1)),
      ]);
    // Without an ensemble in the run, dropout's ensemble claims cannot say.
    const noEnsemble = id === 'dropout' ? { 'ensemble-beats-one': null, 'dropout-like-ensemble': null } : {};
    it('hold on a net that overfits next to one that does not', () => {
      expect(claims(id, run([1, 0.7], [0.85, 0.72]))).toEqual({
        'plain-overfits': true,
        'narrower-gap': true,
        'train-below-one': true,
        ...noEnsemble,
      });
    });
    it('do not hold when the regularised net overfits as much', () => {
      expect(claims(id, run([1, 0.7], [1, 0.6]))).toEqual({
        'plain-overfits': true,
        'narrower-gap': false,
        'train-below-one': false,
        ...noEnsemble,
      });
      expect(claims(id, run([0.8, 0.75], [0.7, 0.68]))['plain-overfits']).toBe(false);
    });
    if (id === 'dropout')
      it('dropout as an ensemble: the ensemble against one plain net, the dropout net against the ensemble', () => {
        const ensembleClaims = (testAccuracy: number | null, plainTest: number, dropoutTest: number) => {
          const checked = verdicts(
            checkClaims({
              experiment: id,
              series: run([1, plainTest], [0.85, dropoutTest]),
              summary: { ensemble: { nets: 3, testAccuracy } },
              params: { dropoutRatio: 0.2, ensemble: 3 },
            }),
          );
          return [checked['ensemble-beats-one'], checked['dropout-like-ensemble']];
        };
        expect(ensembleClaims(0.8, 0.7, 0.79)).toEqual([true, true]);
        expect(ensembleClaims(0.8, 0.7, 0.77)).toEqual([true, false]);
        expect(ensembleClaims(0.69, 0.7, 0.75)).toEqual([false, true]);
        expect(ensembleClaims(null, 0.7, 0.75)).toEqual([null, null]);
      });
    it('cannot say before six epochs or without the plain net', () => {
      expect(claims(id, run([1, 0.7], [0.85, 0.72], 4))['narrower-gap']).toBeNull();
      expect(claims(id, run([1, 0.7], [0.85, 0.72]).slice(2))['narrower-gap']).toBeNull();
    });
  });

  it('hyperparameter-search: the best trials have a high lr; tiny lr stays at chance; or not', () => {
    const trial = (k: number, lr: number, acc: number) => [
      series(`trial ${k} train`, 'train accuracy', { trial: k, split: 'train', lr, weightDecay: 1e-6 }, [0.1, acc]),
      series(`trial ${k} validation`, 'validation accuracy', { trial: k, split: 'validation', lr, weightDecay: 1e-6 }, [
        0.1,
        acc,
      ]),
    ];
    const good = [
      ...[0.009, 0.007, 0.005, 0.004, 0.003].map((lr, i) => trial(i + 1, lr, 0.8 - i * 0.02)),
      ...[1e-4, 5e-5, 2e-5, 3e-6, 1e-6].map((lr, i) => trial(i + 6, lr, lr > 1e-5 ? 0.4 : 0.12)),
    ].flat();
    expect(claims('hyperparameter-search', good)).toEqual({ 'best-lr-high': true, 'tiny-lr-chance': true });
    const bad = [
      ...[0.009, 0.007, 0.005, 0.004, 5e-4].map((lr, i) => trial(i + 1, lr, 0.8 - i * 0.02)),
      ...[1e-4, 5e-5, 2e-5, 3e-6, 1e-6].map((lr, i) => trial(i + 6, lr, lr > 1e-5 ? 0.4 : 0.3)),
    ].flat();
    expect(claims('hyperparameter-search', bad)).toEqual({ 'best-lr-high': false, 'tiny-lr-chance': false });
    expect(claims('hyperparameter-search', good.slice(0, 8))['best-lr-high']).toBeNull();
  });
});
