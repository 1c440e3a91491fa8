import { beforeAll, describe, expect, it } from 'vitest';
import { KEEP_NETS_LIMIT_BYTES, netArrays, predict, trainedNetsSchema } from '../shared/trained-nets';
import type { ProgressEvent } from '../shared/events';
import { initBackend } from './backend';
import { loadDataset } from './data/mnist';
import { runExperiment } from './runner';
import { testProbabilities } from './trained-nets';

/**
 * The nets a run keeps (issue #19): every net of the run with its arrays under the book's names and its
 * report; the tfjs pass that makes the report and the plain pass that draws a digit agree; a run whose
 * nets are too large keeps none and says why; keeping them changes no series.
 */
async function netsOf(id: Parameters<typeof runExperiment>[0], params: Record<string, unknown>, threads = 1) {
  const events: ProgressEvent[] = [];
  const record = await runExperiment(id, params, { threads, onEvent: (e) => events.push(e) });
  const nets = events.flatMap((e) => (e.type === 'nets' ? [trainedNetsSchema.parse(e.nets)] : []));
  expect(nets.length).toBeLessThanOrEqual(1);
  return { record, nets: nets[0] ?? null, order: events.map((e) => e.type) };
}

beforeAll(async () => {
  await initBackend();
});

describe('the trained nets a run keeps', () => {
  it('Fig. 6-9: one net per optimizer, in order, on two threads too, before the record', async () => {
    const params = { iterations: 30, batchSize: 32, hidden: [30, 20], optimizers: ['SGD', 'Momentum', 'AdaGrad'] };
    for (const threads of [1, 2]) {
      const { nets, order } = await netsOf('optimizers-mnist', params, threads);
      expect(nets!.nets.map((n) => n.label)).toEqual(['SGD', 'Momentum', 'AdaGrad']);
      expect(order.indexOf('nets')).toBe(order.length - 2);
      for (const net of nets!.nets) {
        expect(net.arrays.map((a) => `${a.name} ${a.shape.join('x')}`)).toEqual([
          'W1 784x30',
          'b1 30',
          'W2 30x20',
          'b2 20',
          'W3 20x10',
          'b3 10',
        ]);
        const report = net.report!;
        expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(10_000);
        const diagonal = report.confusion.reduce((sum, row, i) => sum + row[i]!, 0);
        expect(report.testAccuracy).toBeCloseTo(diagonal / 10_000, 10);
        expect(report.wrong).toHaveLength(8);
        for (const w of report.wrong) expect(w.predicted).not.toBe(w.label);
        const probabilities = report.wrong.map((w) => w.probability);
        expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
      }
    }
  }, 120_000);

  it('the plain pass (drawing a digit) agrees with the tfjs pass (the report), Batch Norm and dropout included', async () => {
    const variants = [
      { name: 'bn', hidden: [30, 20], batchNorm: true, dropoutRatio: 0.3, activation: 'sigmoid' },
      { name: 'plain', hidden: [25], activation: 'tanh' },
    ];
    const { nets } = await netsOf('workbench', { variants, seeds: 2, epochs: 1, trainSize: 200, batchSize: 50 });
    expect(nets!.nets.map((n) => n.label)).toEqual(['bn · seed 1', 'bn · seed 2', 'plain · seed 1', 'plain · seed 2']);
    expect([...netArrays(nets!.nets[0]!).keys()]).toContain('running_var2');
    const test = loadDataset().test;
    for (const net of nets!.nets) {
      const all = testProbabilities(net, loadDataset());
      const plain = predict(net, test.images.subarray(0, 20 * 784), 20);
      plain.forEach((row, r) =>
        row.forEach((p, k) => expect(p, `${net.label} image ${r} class ${k}`).toBeCloseTo(all[r * 10 + k]!, 5)),
      );
    }
  }, 120_000);

  it('nets over the limit are not kept, and the run says why; a run without nets sends none', async () => {
    const big = { trials: 2, epochs: 1, trainSize: 50, batchSize: 50, hidden: [2000, 2000] };
    const { nets } = await netsOf('hyperparameter-search', big);
    expect(nets!.nets).toEqual([]);
    expect(nets!.notKept).toMatch(/not kept: they hold \d+\.\d MiB, more than the 16\.0 MiB kept with a run/);
    expect(KEEP_NETS_LIMIT_BYTES).toBe(16 * 2 ** 20);
    expect((await netsOf('optimizer-paths', { steps: 3 })).nets).toBeNull();
    const many = { trials: 101, epochs: 1, trainSize: 20, batchSize: 20, hidden: [2] };
    expect((await netsOf('hyperparameter-search', many)).nets!.notKept).toMatch(/there are 101, more than the 100/);
  }, 120_000);

  it('dropout with an ensemble: k more plain nets, no series of theirs, the averaged predictions measured', async () => {
    const params = { epochs: 2, trainSize: 100, batchSize: 50, hidden: [30, 20], dropoutRatio: 0.2, ensemble: 3 };
    const { record, nets } = await netsOf('dropout', params);
    expect(record.series.map((s) => s.name)).toEqual([
      'no dropout train',
      'no dropout test',
      'dropout 0.2 train',
      'dropout 0.2 test',
    ]);
    expect(nets!.nets.map((n) => n.label)).toEqual([
      'no dropout',
      'dropout 0.2',
      'ensemble net 1',
      'ensemble net 2',
      'ensemble net 3',
    ]);
    // The same accuracy from the plain pass: each test image to the class of the highest mean probability.
    const test = loadDataset().test;
    const ensemble = nets!.nets.slice(2);
    const outputs = ensemble.map((net) => predict(net, test.images, test.count));
    let correct = 0;
    for (let i = 0; i < test.count; i++) {
      const mean = Array.from({ length: 10 }, (_, k) => outputs.reduce((sum, o) => sum + o[i]![k]!, 0));
      if (mean.indexOf(Math.max(...mean)) === test.labels[i]) correct++;
    }
    const summary = record.summary.ensemble as { nets: number; testAccuracy: number };
    expect(summary.nets).toBe(3);
    expect(Math.abs(summary.testAccuracy - correct / test.count)).toBeLessThanOrEqual(2e-4);
    expect(record.claims?.map((c) => c.id)).toEqual(
      expect.arrayContaining(['ensemble-beats-one', 'dropout-like-ensemble']),
    );
  }, 120_000);
});
