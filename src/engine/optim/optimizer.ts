import type { ParamSet } from '../nn/params';

/**
 * The book's optimizers (common/optimizer.py): update(params, grads) changes the parameters in place,
 * one fused loop per parameter; state (v, h, m) is created lazily on the first update.
 */
export abstract class Optimizer {
  private readonly slots = new Map<string, Record<string, Float64Array>>();

  abstract update(params: ParamSet, grads: ParamSet): void;

  /** A zero-initialised state array per slot name and parameter, kept across updates. */
  protected slot(slotName: string, key: string, like: ArrayLike<number>): Float64Array {
    let slot = this.slots.get(slotName);
    if (!slot) this.slots.set(slotName, (slot = {}));
    return (slot[key] ??= new Float64Array(like.length));
  }

  /** The internal state, for inspection (slot name -> parameter -> values): Momentum's v, AdaGrad's h, Adam's m and v. */
  state(): Record<string, Record<string, Float64Array>> {
    return Object.fromEntries([...this.slots].map(([name, slot]) => [name, structuredClone(slot)]));
  }
}

export const EPSILON = 1e-7;
