import type { tf } from './backend';
import { type FastBatch, fastGradient } from './fast/fast-net';
import { FusedAffine } from './fast/fused-affine';
import { BatchNormalization } from './nn/batch-norm';
import { type Layer, Relu, Sigmoid, Tanh } from './nn/layers';
import type { MultiLayerNet } from './nn/multi-layer-net';
import type { Optimizer } from './optim';
import {
  type Histogram,
  INSIDE_BINS,
  type InsideLayer,
  type InsideMoment,
  type InsideNet,
  type InsideNetShape,
  type InsidePlan,
  type RunInside,
  insidePlan,
} from '../shared/inside';
import type { SeriesKey } from '../shared/series';

/*
 * Recording inside the net (shared/inside.ts): the training step of a recorded moment, which is the
 * book's step (train-step.ts trainStep: gradient, then update) with eyes on it. It watches each
 * layer's output as the forward pass makes it, histograms the weights and gradients, and measures the
 * update against the weights. It only reads: a recorded run trains to the same numbers as one that is
 * not recorded (inside.test.ts).
 */

/** The histogram of the finite values among `values` (INSIDE_BINS equal bins from min to max), and their moments. */
export function histogramOf(values: ArrayLike<number>): Histogram {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    finite++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const counts = new Array<number>(INSIDE_BINS).fill(0);
  const nonFinite = values.length - finite;
  if (finite === 0) return { min: 0, max: 0, mean: 0, std: 0, counts, nonFinite };
  const mean = sum / finite;
  let squares = 0;
  const width = (max - min) / INSIDE_BINS;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    squares += (v - mean) ** 2;
    counts[width > 0 ? Math.min(INSIDE_BINS - 1, Math.floor((v - min) / width)) : 0]!++;
  }
  return { min, max, mean, std: Math.sqrt(squares / finite), counts, ...(nonFinite > 0 ? { nonFinite } : {}) };
}

/** The Euclidean norm of `values`, or of `values - from`; null when it is not finite. */
function norm(values: Float32Array, from?: Float32Array): number | null {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i]! - (from ? from[i]! : 0)) ** 2;
  const result = Math.sqrt(sum);
  return Number.isFinite(result) ? result : null;
}

/** The histograms of each hidden layer's outputs in one training pass (index 0: hidden layer 1). */
class LayerOutputs {
  readonly activation: Histogram[] = [];
  readonly normalized: Histogram[] = [];
  private affine = 0;

  /** For fastGradient: the outputs of activation functions (fused ReLU included) and of Batch Norms. */
  readonly watch = (layer: Layer, output: tf.Tensor2D): void => {
    if (layer instanceof FusedAffine) {
      this.affine++;
      if (layer.relu) this.activation[this.affine - 1] = histogramOf(output.dataSync());
    } else if (layer instanceof BatchNormalization) {
      this.normalized[this.affine - 1] = histogramOf(output.dataSync());
    } else if (layer instanceof Relu || layer instanceof Sigmoid || layer instanceof Tanh) {
      this.activation[this.affine - 1] = histogramOf(output.dataSync());
    }
  };
}

/**
 * trainStep with the moment recorded: the same gradient and update, and per layer what went through it.
 * Returns the loss as trainStep does.
 */
export function recordedTrainStep(
  net: MultiLayerNet,
  optimizer: Optimizer,
  batch: FastBatch,
  step: number,
): { loss: number; moment: InsideMoment } {
  const outputs = new LayerOutputs();
  const { loss, grads } = fastGradient(net, batch, outputs.watch);
  const names = Array.from({ length: net.layerCount }, (_, i) => `W${i + 1}`);
  const before = names.map((name) => Float32Array.from(net.params[name]!));
  const gradients = names.map((name) => ({ histogram: histogramOf(grads[name]!), norm: norm(grads[name]!) }));
  optimizer.update(net.params, grads);
  const layers = names.map((name, i): InsideLayer => {
    const weightNorm = norm(before[i]!);
    const moved = norm(net.params[name]!, before[i]);
    return {
      ...(outputs.activation[i] ? { activation: outputs.activation[i] } : {}),
      ...(outputs.normalized[i] ? { normalized: outputs.normalized[i] } : {}),
      weight: histogramOf(before[i]!),
      gradient: gradients[i]!.histogram,
      gradientNorm: gradients[i]!.norm,
      updateRatio: weightNorm && moved !== null ? moved / weightNorm : null,
    };
  });
  return { loss, moment: { step, layers } };
}

/** What a net of a run is, for its recording: its label and series key, and its shape. */
export interface InsideIdentity extends InsideNetShape {
  label: string;
  key: SeriesKey;
}

/**
 * A run's recording, gathered net by net as the trainer hands the moments over: the plan of the run
 * (every net's interval) is made once, before training, from all its nets.
 */
export class RecordedInside {
  private readonly nets = new Map<number, InsideNet>();
  private plan: InsidePlan | undefined;

  constructor(private readonly askedEvery: number) {}

  /** The interval for nets trained `updates` updates each (null: not recorded); `nets`: the whole run's. */
  intervalFor(nets: readonly InsideNetShape[], updates: number): number | null {
    if (this.askedEvery <= 0 || nets.length === 0) return null;
    this.plan = insidePlan(nets, updates, this.askedEvery);
    return this.plan.tooLarge ? null : this.plan.every;
  }

  add(order: number, identity: InsideIdentity, moments: InsideMoment[]): void {
    this.nets.set(order, {
      label: identity.label,
      key: identity.key,
      batchNorm: identity.batchNorm,
      hidden: [...identity.hidden],
      moments,
    });
  }

  /** inside.json of the run, nets in order; null when the run did not ask for it. */
  file(): RunInside | null {
    if (!this.plan) return null;
    const nets = [...this.nets.entries()].sort(([a], [b]) => a - b).map(([, net]) => net);
    return { every: this.plan.every, nets, ...(this.plan.tooLarge ? { notRecorded: this.plan.tooLarge } : {}) };
  }
}
