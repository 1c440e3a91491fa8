import { NpzError, shapeText } from './npz';
import type { Activation } from './params';
import { type NetArray, type TrainedNet, float32ToBase64 } from './trained-nets';

/*
 * A net from an imported .npz (issue #19): the arrays under the book's names give the layer sizes and
 * whether it has Batch Norm; the activation and the dropout ratio, which no array holds, are chosen.
 */

export interface NamedArray {
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface ImportChoices {
  activation: Activation;
  dropoutRatio: number;
  label: string;
}

const INPUT_SIZE = 784;
const CLASSES = 10;
const BATCH_NORM_NAMES = ['gamma', 'beta', 'running_mean', 'running_var'] as const;
const BOOK_NAME = /^(W|b|gamma|beta|running_mean|running_var)(\d+)$/;

/** The net the arrays make: W1 (784, h1), W2 (h1, h2), ..., WL (h, 10), each b and Batch Norm array fitting. */
export function netFromArrays(arrays: readonly NamedArray[], choices: ImportChoices): TrainedNet {
  if (!(choices.dropoutRatio >= 0 && choices.dropoutRatio < 1)) throw new NpzError('dropoutRatio');
  const byName = new Map(arrays.map((a) => [a.name, a]));
  let layers = 0;
  for (const { name } of arrays) {
    const match = BOOK_NAME.exec(name);
    if (!match || Number(match[2]) < 1) throw new NpzError('unexpected', { name });
    if (match[1] === 'W') layers = Math.max(layers, Number(match[2]));
  }
  if (layers < 2) throw new NpzError('missing', { name: layers === 0 ? 'W1' : 'W2' });

  const expectShape = (name: string, expected: readonly (number | null)[]): NamedArray => {
    const array = byName.get(name);
    if (!array) throw new NpzError('missing', { name });
    const fits = array.shape.length === expected.length && expected.every((n, i) => n === null || n === array.shape[i]);
    if (!fits)
      throw new NpzError('shape', {
        name,
        shape: shapeText(array.shape),
        expected: shapeText(expected.map((n) => n ?? 'n')),
      });
    return array;
  };
  const hidden: number[] = [];
  let fanIn = INPUT_SIZE;
  for (let l = 1; l <= layers; l++) {
    const fanOut = expectShape(`W${l}`, [fanIn, l === layers ? CLASSES : null]).shape[1]!;
    expectShape(`b${l}`, [fanOut]);
    if (l < layers) hidden.push(fanOut);
    fanIn = fanOut;
  }

  const batchNormNames = hidden.flatMap((_, i) => BATCH_NORM_NAMES.map((kind) => `${kind}${i + 1}`));
  const expected = new Set([
    ...Array.from({ length: layers }, (_, i) => [`W${i + 1}`, `b${i + 1}`]).flat(),
    ...batchNormNames,
  ]);
  for (const { name } of arrays) if (!expected.has(name)) throw new NpzError('unexpected', { name });
  const missing = batchNormNames.filter((name) => !byName.has(name));
  const batchNorm = missing.length < batchNormNames.length;
  if (batchNorm && missing.length > 0) throw new NpzError('batchNorm', { missing: missing.join(', ') });
  if (batchNorm) batchNormNames.forEach((name) => expectShape(name, [hidden[Number(/\d+$/.exec(name)![0]) - 1]!]));

  const ordered = Array.from({ length: layers }, (_, i) => [
    `W${i + 1}`,
    `b${i + 1}`,
    ...(batchNorm && i < hidden.length ? BATCH_NORM_NAMES.map((kind) => `${kind}${i + 1}`) : []),
  ]).flat();
  const netArrays: NetArray[] = ordered.map((name) => {
    const { shape, values } = byName.get(name)!;
    return { name, shape: [...shape], float32: float32ToBase64(values) };
  });
  return {
    label: choices.label,
    hidden,
    activation: choices.activation,
    batchNorm,
    dropoutRatio: choices.dropoutRatio,
    arrays: netArrays,
    report: null,
  };
}
