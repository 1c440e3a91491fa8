/**
 * Parameters and gradients live in plain Float32Arrays, keyed W1, b1, ... like the book's params dict:
 * optimizers update them in place in one fused loop (far cheaper than a dozen tensor ops per update),
 * and each pass uploads them as tensors.
 */
export type ParamSet = Record<string, Float32Array>;
export type Shapes = Record<string, number[]>;
