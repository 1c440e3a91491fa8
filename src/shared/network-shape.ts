import type { Activation } from './params';

/**
 * Fig. 6-16, for the form's parameters: the layers of the net an experiment trains (the book's
 * MultiLayerNetExtend: input -> [Affine -> (Batch Norm) -> activation -> (Dropout)] per hidden layer ->
 * Affine -> Softmax-with-Loss) with each layer's size and the parameters it holds. Each slot's `network`
 * (src/shared/slots/<id>.ts) draws its net with these builders; `networkShape(id, params)` in
 * experiments.ts validates a form's parameters and asks the slot.
 */

export type NetworkLayerKind = 'input' | 'affine' | 'batchnorm' | Activation | 'dropout' | 'softmax';

export interface NetworkLayer {
  kind: NetworkLayerKind;
  /** The layer's output size (units). */
  units: number;
  /** Parameters the layer holds: Affine in·out weights (+ out biases), Batch Norm γ and β per unit. */
  params: number;
  /** Affine: whether it has biases (init-activations' toy net has none). */
  bias?: boolean;
  /** Dropout: its ratio. */
  ratio?: number;
}

export interface NetworkShape {
  layers: NetworkLayer[];
  /** Every parameter: weights + biases, plus γ and β per Batch Norm unit. */
  paramCount: number;
  /**
   * The net trained beside this one, when the experiment compares two: the plain net of the Batch
   * Norm experiment, the net without dropout of the dropout experiment.
   */
  twin?: { without: 'batchnorm' | 'dropout'; paramCount: number };
}

export const MNIST_INPUT = 784;
export const MNIST_CLASSES = 10;

interface MnistNet {
  hidden: readonly number[];
  activation: Activation;
  batchNorm?: boolean;
  dropoutRatio?: number;
}

/** The chapter's MNIST net: 784 -> hidden blocks -> 10. */
export function mnistNetShape({ hidden, activation, batchNorm = false, dropoutRatio = 0 }: MnistNet): NetworkShape {
  const layers: NetworkLayer[] = [{ kind: 'input', units: MNIST_INPUT, params: 0 }];
  let fanIn = MNIST_INPUT;
  for (const units of hidden) {
    layers.push({ kind: 'affine', units, params: fanIn * units + units, bias: true });
    if (batchNorm) layers.push({ kind: 'batchnorm', units, params: 2 * units });
    layers.push({ kind: activation, units, params: 0 });
    if (dropoutRatio > 0) layers.push({ kind: 'dropout', units, params: 0, ratio: dropoutRatio });
    fanIn = units;
  }
  layers.push({ kind: 'affine', units: MNIST_CLASSES, params: fanIn * MNIST_CLASSES + MNIST_CLASSES, bias: true });
  layers.push({ kind: 'softmax', units: MNIST_CLASSES, params: 0 });
  return { layers, paramCount: layers.reduce((sum, layer) => sum + layer.params, 0) };
}

/** init-activations' toy net (§6.2.2): `layers` layers of `nodes` units, weights without biases, no output layer. */
export function activationsNetShape(nodes: number, count: number, activation: Activation): NetworkShape {
  const layers: NetworkLayer[] = [{ kind: 'input', units: nodes, params: 0 }];
  for (let i = 0; i < count; i++) {
    layers.push({ kind: 'affine', units: nodes, params: nodes * nodes, bias: false });
    layers.push({ kind: activation, units: nodes, params: 0 });
  }
  return { layers, paramCount: count * nodes * nodes };
}
