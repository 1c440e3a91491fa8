import { beforeAll, describe, expect, it } from 'vitest';
import { parseParams } from '../../shared/experiments';
import { initBackend } from '../backend';
import { defaultDataDir, loadDataset } from '../data/mnist';
import { runExperiment } from '../runner';
import { evaluateOnTest } from './final-test';

/**
 * Step 4 of the search: the chosen trial's net trained on all the search's images and measured on the
 * test images once. The same net, trained by the workbench on the same images and batches with the test
 * images as its evaluation, ends at the same test accuracy.
 */
beforeAll(async () => {
  await initBackend();
});

const search = parseParams('hyperparameter-search', {
  trials: 3,
  epochs: 4,
  trainSize: 300,
  hidden: [40, 30],
  seed: 5,
});

describe('step 4: the chosen trial on the test data, once', () => {
  /** The workbench's run of the same net on the same images and batches, with the test images as its evaluation. */
  async function workbenchTwin(variant: Record<string, unknown>): Promise<number> {
    const twin = await runExperiment(
      'workbench',
      {
        variants: [{ name: 'chosen', ...variant }],
        trainSize: 300,
        trainImages: 'first',
        batchSize: 100,
        batchOrder: 'shuffle',
        length: 'epochs',
        epochs: 4,
        evaluation: 'test',
        seeds: 1,
        seed: 5,
      },
      { threads: 1 },
    );
    const test = twin.series.find((s) => s.metric === 'test accuracy')!;
    expect(test.x.at(-1)).toBe(4);
    return test.y.at(-1)!;
  }

  it('trains on the training and validation images together and gets the workbench twin’s test accuracy', async () => {
    const chosen = { trial: 2, lr: 0.05, weightDecay: 1e-5 };
    const evaluation = await evaluateOnTest(search, chosen, loadDataset(defaultDataDir()));
    expect(evaluation).toMatchObject({ ...chosen, trainImages: 300, epochs: 4 });
    expect(evaluation.divergedAt).toBeUndefined();
    const twin = await workbenchTwin({ hidden: [40, 30], lambda: 1e-5, optimizer: { name: 'SGD', lr: 0.05 } });
    // Both count the test images the same net gets right; their passes sum in another order.
    expect(Math.abs(evaluation.testAccuracy! - twin)).toBeLessThanOrEqual(2e-4);
    expect(evaluation.testAccuracy).toBeGreaterThan(0.15);
  }, 120_000);

  it('trains a trial that searched more (searchAlso) with all its values, as the workbench does', async () => {
    const also = { optimizer: 'Adam' as const, hiddenLayers: 1, batchNorm: true, activation: 'tanh' as const };
    const chosen = { trial: 3, lr: 0.002, weightDecay: 1e-6, also };
    const evaluation = await evaluateOnTest(search, chosen, loadDataset(defaultDataDir()));
    expect(evaluation).toMatchObject({ also });
    const twin = await workbenchTwin({
      hidden: [40],
      activation: 'tanh',
      batchNorm: true,
      lambda: 1e-6,
      optimizer: { name: 'Adam', lr: 0.002 },
    });
    expect(Math.abs(evaluation.testAccuracy! - twin)).toBeLessThanOrEqual(2e-4);
    expect(evaluation.testAccuracy).toBeGreaterThan(0.5);
  }, 120_000);

  // Weight decay this strong multiplies W by 1 - lr λ = -499 every update: it overflows within a few.
  it('a trial that diverges when trained again has no test accuracy and says where it diverged', async () => {
    const evaluation = await evaluateOnTest(
      search,
      { trial: 1, lr: 50, weightDecay: 10 },
      loadDataset(defaultDataDir()),
    );
    expect(evaluation.testAccuracy).toBeNull();
    expect(evaluation.divergedAt).toBeGreaterThanOrEqual(0);
  }, 120_000);
});
