/**
 * What an optimizer updates: number arrays keyed by parameter name. Nets keep Float32Arrays (ParamSet);
 * the toy function of Fig. 6-8 keeps float64, as the book does.
 */
export type ParamArrays = Record<string, Float32Array | Float64Array>;

/**
 * The book's optimizers (common/optimizer.py): update(params, grads) changes the parameters in place,
 * one fused loop per parameter; state (v, h, m) is created lazily on the first update.
 */
export abstract class Optimizer {
  private readonly slots = new Map<string, Record<string, Float64Array>>();

  /**
   * The learning rate. Every update reads it afresh, so a learning-rate schedule may set it between
   * updates (the book's own `self.lr` is a plain attribute too).
   */
  constructor(public lr: number) {}

  abstract update(params: ParamArrays, grads: ParamArrays): void;

  /** A zero-initialised state array per slot name and parameter, kept across updates. */
  protected slot(slotName: string, key: string, like: ArrayLike<number>): Float64Array {
    let slot = this.slots.get(slotName);
    if (!slot) this.slots.set(slotName, (slot = {}));
    return (slot[key] ??= new Float64Array(like.length));
  }

  /**
   * The internal state, for inspection (slot name -> parameter -> values): Momentum's v, AdaGrad's h, Adam's
   * m and v.
   */
  state(): Record<string, Record<string, Float64Array>> {
    return Object.fromEntries([...this.slots].map(([name, slot]) => [name, structuredClone(slot)]));
  }
}

export const EPSILON = 1e-7;
