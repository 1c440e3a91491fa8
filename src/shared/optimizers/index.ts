import { z } from 'zod';
import type { ConceptFormula } from '../concept-formula';
import type { Locale } from '../locale';
import { adaGrad } from './adagrad';
import { adam } from './adam';
import { adamW } from './adamw';
import type { HyperParams, OptimizerDescriptor } from './descriptor';
import { momentum } from './momentum';
import { nesterov } from './nesterov';
import type { Optimizer } from './optimizer';
import { rmsprop } from './rmsprop';
import { sgd } from './sgd';

/*
 * The optimizers: one descriptor per optimizer in its own file (./sgd.ts, ...: its class, whose
 * `update` is the book's common/optimizer.py, its hyper-parameters with their defaults, formula,
 * colour, labels, ...), and the one list below, from which everything else is derived. Adding an
 * optimizer: its file (`defineOptimizer`) and its line in OPTIMIZERS.
 */

/** Every optimizer, in the order of forms, charts and lists: the book's six (common/optimizer.py), then the lab's. */
export const OPTIMIZERS = [sgd, momentum, nesterov, adaGrad, rmsprop, adam, adamW] as const;

type Descriptors = typeof OPTIMIZERS;
type Descriptor = Descriptors[number];
type NamesOf<T extends readonly Descriptor[]> = { readonly [I in keyof T]: T[I]['name'] };

export const OPTIMIZER_NAMES = OPTIMIZERS.map((d) => d.name) as unknown as NamesOf<Descriptors>;
export type OptimizerName = Descriptor['name'];

/** The descriptor of each optimizer, by name. */
export const OPTIMIZER_BY_NAME = Object.fromEntries(OPTIMIZERS.map((d) => [d.name, d])) as {
  [N in OptimizerName]: Extract<Descriptor, { name: N }>;
};

const byName = <V>(value: (d: Descriptor) => V) =>
  Object.fromEntries(OPTIMIZERS.map((d) => [d.name, value(d)])) as Record<OptimizerName, V>;

/** The default learning rate of each optimizer: the book's (common/optimizer.py). */
const BOOK_LEARNING_RATES = byName((d) => d.bookLr);

/**
 * Default learning rates on the toy function of Fig. 6-8: the book's for SGD, Momentum, AdaGrad and
 * Adam; each descriptor's `toyLr` says why for the others.
 */
export const TOY_LEARNING_RATES = byName((d) => d.toyLr);

/** Each optimizer's colour in every chart: matplotlib's for the book's Fig. 6-9 (SGD blue, Momentum orange, ...). */
export const OPTIMIZER_COLORS = byName((d) => d.color);

/** Float64 arrays per parameter each optimizer keeps (Momentum's v, AdaGrad's h, Adam's m and v): the memory model. */
export const OPTIMIZER_STATE_ARRAYS = byName((d) => d.stateArrays);

/** One optimizer's update rule as its class computes it, each symbol tied to `optimizers.<name>.<field>`. */
export const OPTIMIZER_FORMULAS: Record<OptimizerName, ConceptFormula> = byName(
  ({ name, hyper, formula }: OptimizerDescriptor): ConceptFormula => ({
    tex: formula.tex,
    caption: formula.caption,
    // In the form's order: the learning rate, then the hyper-parameters.
    symbols: ['lr', ...Object.keys(hyper)].map((field) => ({
      symbol: formula.symbols[field]!,
      param: `optimizers.${name}.${field}`,
    })),
  }),
);

/** Each optimizer's label in one language (the i18n `optimizer` messages). */
export const optimizerLabels = (locale: Locale): Record<OptimizerName, string> => byName((d) => d.label[locale]);

type HyperNamesOf<T extends readonly Descriptor[]> = { [I in keyof T]: keyof T[I]['hyper'] & string }[number];
/** The fields of every optimizer: `lr` and each one's hyper-parameters. */
export type OptimizerField = 'lr' | HyperNamesOf<Descriptors>;

const LR_LABEL: Record<Locale, string> = { en: 'learning rate', 'zh-CN': '学习率' };

/** The label of every optimizer field in one language (the i18n `hp` messages). */
export function optimizerFieldLabels(locale: Locale): Record<OptimizerField, string> {
  const hyper = OPTIMIZERS.flatMap((d) => Object.entries(d.hyper as HyperParams));
  const labels = [['lr', LR_LABEL[locale]], ...hyper.map(([field, p]) => [field, p.label[locale]])];
  return Object.fromEntries(labels) as Record<OptimizerField, string>;
}

const learningRate = (book: number) => z.number().gt(0).max(100).default(book).meta({ label: LR_LABEL.en, unit: 'lr' });

/** The spec schema of one optimizer: its name, learning rate and hyper-parameters, strict. */
type SpecObject<D> =
  D extends OptimizerDescriptor<infer Name, infer H>
    ? z.ZodObject<
        {
          [K in 'name' | 'lr' | keyof H]: K extends 'name'
            ? z.ZodLiteral<Name>
            : K extends 'lr'
              ? z.ZodDefault<z.ZodNumber>
              : H[K]['schema'];
        },
        z.core.$strict
      >
    : never;
type SpecObjects<T extends readonly Descriptor[]> = { readonly [I in keyof T]: SpecObject<T[I]> };

/** Every optimizer's schema, each with the given default learning rate and its other defaults. */
function optimizerObjects(lr: Record<OptimizerName, number>) {
  const objects = OPTIMIZERS.map((d) =>
    z.strictObject({
      name: z.literal(d.name),
      lr: learningRate(lr[d.name]),
      ...Object.fromEntries(Object.entries(d.hyper as HyperParams).map(([field, p]) => [field, p.schema])),
    }),
  );
  return z.discriminatedUnion('name', objects as unknown as SpecObjects<Descriptors>);
}

/**
 * An optimizer with its hyper-parameters, where a bare name ("Adam") stands for the defaults; the
 * default learning rates are the book's unless `learningRates` names others (the toy function of
 * Fig. 6-8 has its own).
 */
export function optimizerSpecWith(learningRates: Partial<Record<OptimizerName, number>>) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? { name: value } : value),
    optimizerObjects({ ...BOOK_LEARNING_RATES, ...learningRates }),
  );
}

/** An optimizer with its hyper-parameters; a bare name ("Adam") stands for the book's defaults. */
export const optimizerSpec = optimizerSpecWith({});
export type OptimizerSpecSchema = typeof optimizerSpec;
export type OptimizerSpec = z.output<OptimizerSpecSchema>;

export function defaultOptimizer(name: OptimizerName): OptimizerSpec {
  return optimizerSpec.parse(name);
}

/** A parameter listing distinct optimizers (each at most once), by default `defaults` as `spec` completes them. */
export function optimizerListParam(spec: OptimizerSpecSchema, defaults: readonly OptimizerName[]) {
  return z
    .array(spec)
    .min(1)
    .max(OPTIMIZER_NAMES.length)
    .refine((list) => new Set(list.map((o) => o.name)).size === list.length, {
      message: 'each optimizer may appear once',
    })
    .default(defaults.map((name) => spec.parse(name)))
    .meta({ label: 'optimizers', choices: OPTIMIZER_NAMES });
}

/** The optimizer a validated spec names, with its hyper-parameters. */
export function createOptimizer(spec: OptimizerSpec): Optimizer {
  // The spec's name picks the descriptor, so its `create` gets its own kind of settings.
  const { name, ...settings } = spec;
  const descriptor: OptimizerDescriptor = OPTIMIZER_BY_NAME[name];
  return descriptor.create(settings);
}

export { EPSILON, Optimizer, type ParamArrays } from './optimizer';
export { defineOptimizer, type OptimizerDescriptor } from './descriptor';
export { AdaGrad } from './adagrad';
export { Adam } from './adam';
export { AdamW } from './adamw';
export { Momentum } from './momentum';
export { Nesterov } from './nesterov';
export { RMSprop } from './rmsprop';
export { SGD } from './sgd';
