import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../backend';
import { type Dataset, loadDataset } from '../data/mnist';
import {
  type EpochJob,
  TRAIN_ACCURACY,
  epochBatches,
  iterationsPerEpoch,
  sgdNetMember,
  trainEpochNets,
} from './epoch-nets';
import { epochSteps } from './epoch-series';
import type { IterationJob, MemberValue } from './types';

/*
 * The epoch trainer on its own (the experiments' tests run it through the runner): batches, what it
 * reports, and that a member's values depend only on the seed and its index.
 */
let dataset: Dataset;
beforeAll(async () => {
  await initBackend();
  dataset = loadDataset();
});

async function train(job: EpochJob, members: number[]): Promise<MemberValue[]> {
  const values: MemberValue[] = [];
  await trainEpochNets(
    job,
    dataset,
    members,
    (v) => values.push(v),
    () => false,
  );
  return values;
}

describe('batches', () => {
  it('an epoch is max(ceil(trainSize / batchSize), 1) iterations', () => {
    expect(iterationsPerEpoch(1000, 100)).toBe(10);
    expect(iterationsPerEpoch(300, 100)).toBe(3);
    expect(iterationsPerEpoch(250, 100)).toBe(3);
    expect(iterationsPerEpoch(50, 100)).toBe(1);
  });

  it("'shuffle' walks a fresh permutation of the rows each epoch; 'random' draws with replacement", () => {
    const shuffled = epochBatches({ batches: 'shuffle', batchSize: 100, seed: 1 }, 250);
    const first = shuffled();
    expect(first.map((b) => b.length)).toEqual([100, 100, 50]);
    const rows = (batches: Int32Array[]) => batches.flatMap((b) => Array.from(b));
    expect(rows(first).sort((a, b) => a - b)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(rows(shuffled())).not.toEqual(rows(first));

    const random = epochBatches({ batches: 'random', batchSize: 100, seed: 1 }, 250)();
    expect(random.map((b) => b.length)).toEqual([100, 100, 100]);
    const drawn = rows(random);
    expect(drawn.every((i) => i >= 0 && i < 250)).toBe(true);
    expect(new Set(drawn).size).toBeLessThan(drawn.length);
    // The same seed draws the same batches.
    expect(epochBatches({ batches: 'random', batchSize: 100, seed: 1 }, 250)()).toEqual(random);
  });
});

describe('trainEpochNets', () => {
  // Validation rows taken from the training images, as the hyper-parameter search does.
  const job: EpochJob = {
    epochs: 2,
    batchSize: 50,
    batches: 'shuffle',
    seed: 4,
    train: { indices: Array.from({ length: 200 }, (_, i) => 100 + i) },
    evaluation: {
      split: 'train',
      rows: { indices: Array.from({ length: 100 }, (_, i) => i) },
      metric: 'validation accuracy',
    },
    members: [
      sgdNetMember([20], 0.1),
      sgdNetMember([20, 20], 0.05, { dropoutRatio: 0.3, useBatchNorm: true, lambda: 0.01 }),
      sgdNetMember([20], 1e-6, { init: 0.01, activation: 'sigmoid' }),
    ],
  };

  it('reports each member’s train and validation accuracy before training and after every epoch', async () => {
    const tensors = tf.memory().numTensors;
    const values = await train(job, [0, 1, 2]);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(values).toHaveLength(3 * 3 * 2);
    for (const member of [0, 1, 2]) {
      const mine = values.filter((v) => v.member === member);
      expect(mine.map((v) => [v.step, v.metric])).toEqual(
        [0, 1, 2].flatMap((step) => [
          [step, 'train accuracy'],
          [step, 'validation accuracy'],
        ]),
      );
      // Accuracies on 200 and 100 images: multiples of 1/200 and 1/100.
      for (const v of mine) expect(Math.round(v.value * 200)).toBeCloseTo(v.value * 200, 9);
    }
    // lr 0.1 learns something in two epochs; lr 1e-6 does not.
    const last = (member: number) =>
      values.filter((v) => v.member === member && v.metric === 'train accuracy').at(-1)!.value;
    expect(last(0)).toBeGreaterThan(0.5);
    expect(last(2)).toBeLessThan(0.3);
  });

  it("a member's values depend only on the seed and its index, not on which members train beside it", async () => {
    const together = await train(job, [0, 1, 2]);
    const alone = await train(job, [1]);
    expect(alone).toEqual(together.filter((v) => v.member === 1));
  });

  it('gives the same values trained one group after another (batches kept for the later groups), and frees them', async () => {
    const together = await train(job, [0, 1, 2]);
    const tensors = tf.memory().numTensors;
    const inGroups = await train({ ...job, groupSize: 1 }, [0, 1, 2]);
    expect(tf.memory().numTensors).toBe(tensors);
    const byMember = (values: MemberValue[]) => [0, 1, 2].flatMap((m) => values.filter((v) => v.member === m));
    expect(byMember(inGroups)).toEqual(byMember(together));
  });

  it('reports every mini-batch as it is trained, so a long epoch still shows progress; a diverged net counts its remaining ones', async () => {
    const overflowing = sgdNetMember([100, 100, 100, 100, 100], 1, { init: 1 });
    const diverging: EpochJob = { ...job, members: [...job.members, overflowing] };
    const counts: number[] = [];
    const values: MemberValue[] = [];
    await trainEpochNets(
      diverging,
      dataset,
      [0, 1, 2, 3],
      (v) => values.push(v),
      () => false,
      (count) => counts.push(count),
    );
    expect(values.some((v) => v.member === 3 && !Number.isFinite(v.value))).toBe(true);
    // One report per mini-batch (200 rows in batches of 50, 2 epochs), together the whole job.
    expect(counts).toHaveLength(2 * 4);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(epochSteps(diverging));
    expect(epochSteps(diverging)).toBe(4 * 2 * 4);
  });

  it("takes each net's schedule and starting weights as data: a shared start, then a step schedule that all but stops learning after epoch 1", async () => {
    const start = sgdNetMember([20], 0.1);
    const frozenAfterEpoch1 = sgdNetMember([20], 0.1, {
      weightsFrom: 0,
      schedule: { kind: 'step', every: iterationsPerEpoch(200, 50), factor: 1e-9 },
    });
    const values = await train({ ...job, members: [start, frozenAfterEpoch1] }, [0, 1]);
    const trainAccuracy = (member: number) =>
      values.filter((v) => v.member === member && v.metric === 'train accuracy').map((v) => v.value);
    const [constant, scheduled] = [trainAccuracy(0), trainAccuracy(1)];
    // Same weights and batches, and the full learning rate through epoch 1: the same values up to there.
    expect(scheduled.slice(0, 2)).toEqual(constant.slice(0, 2));
    // Epoch 2 at lr 1e-10: the net stays where epoch 1 left it, while the constant one moves on.
    expect(scheduled[2]).toBe(scheduled[1]);
    expect(constant[2]).not.toBe(constant[1]);
  });

  it('stops when asked, after the iteration in progress', async () => {
    let calls = 0;
    const values: MemberValue[] = [];
    await trainEpochNets(
      job,
      dataset,
      [0],
      (v) => values.push(v),
      () => ++calls > 2,
    );
    expect(values.map((v) => v.step)).toEqual([0, 0]);
  });
});

describe('trainEpochNets as the iteration-based scripts (Fig. 6-9, 6-15)', () => {
  // Four optimizers on the book's net shape (narrower), batches of 128 drawn with replacement from all
  // 60,000 training images, 40 updates: a cut-short first epoch of 469.
  const optimizers = [
    { name: 'SGD', lr: 0.01 },
    { name: 'Momentum', lr: 0.01, momentum: 0.9 },
    { name: 'AdaGrad', lr: 0.01 },
    { name: 'Adam', lr: 0.001, beta1: 0.9, beta2: 0.999 },
  ] as const;
  const shared: IterationJob = {
    iterations: 40,
    batchSize: 128,
    seed: 3,
    members: optimizers.map((optimizer) => ({
      hidden: [40, 30],
      activation: 'relu' as const,
      init: 'he' as const,
      lambda: 0,
      optimizer,
      schedule: { kind: 'cosine' as const, every: 1, factor: 0.1 },
    })),
  };
  const asEpochJob = (job: IterationJob): EpochJob => ({
    epochs: 1,
    batchSize: job.batchSize,
    batches: 'random',
    seed: job.seed,
    train: 'all',
    members: job.members.map((member) => ({ ...member, useBatchNorm: false, dropoutRatio: 0 })),
    iterations: job.iterations,
    reportLoss: true,
    measureAccuracy: false,
  });

  // The golden records of optimizers-mnist and init-mnist (golden.test.ts) hold these jobs' numbers.
  it('reports one loss per net and update, before the update, and no accuracy', async () => {
    const values = await train(asEpochJob(shared), [0, 1, 2, 3]);
    expect(values.every((v) => v.metric === 'loss' && Number.isFinite(v.value))).toBe(true);
    for (const member of [0, 1, 2, 3])
      expect(values.filter((v) => v.member === member).map((v) => v.step)).toEqual(
        Array.from({ length: 40 }, (_, i) => i),
      );
    expect(values.find((v) => v.member === 0 && v.step === 0)!.value).toBeCloseTo(Math.log(10), 0);
    expect(epochSteps(asEpochJob(shared))).toBe(4 * 40);
  });

  it('with accuracies, reports them after every full epoch only, and every update’s loss', async () => {
    const job: EpochJob = {
      ...asEpochJob({ ...shared, iterations: 25 }),
      epochs: 3,
      train: { first: 1000 },
      measureAccuracy: true,
      members: [sgdNetMember([20], 0.1)],
    };
    const values = await train(job, [0]);
    const accuracySteps = values.filter((v) => v.member === 0 && v.metric === TRAIN_ACCURACY).map((v) => v.step);
    expect(accuracySteps).toEqual([0, 1, 2, 3].slice(0, 1 + Math.floor(25 / iterationsPerEpoch(1000, 128))));
    expect(values.filter((v) => v.member === 0 && v.metric === 'loss').map((v) => v.step)).toEqual(
      Array.from({ length: 25 }, (_, i) => i),
    );
  });
});
