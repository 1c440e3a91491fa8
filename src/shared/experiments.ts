import { z } from 'zod';
import { overlayRunFigures } from './charts/compare';
import { type ChartDefinition, type FigureInput, type FigureOptions, defaultView } from './charts/figures';
import { englishText } from './charts/text';
import type { NetworkShape } from './network-shape';
import { batchNorm } from './slots/batch-norm';
import { dropout } from './slots/dropout';
import { hyperparameterSearch } from './slots/hyperparameter-search';
import { initActivations } from './slots/init-activations';
import { initMnist } from './slots/init-mnist';
import { optimizerPaths } from './slots/optimizer-paths';
import { optimizersMnist } from './slots/optimizers-mnist';
import type { ExperimentSlot } from './slots/slot';
import { weightDecay } from './slots/weight-decay';
import { workbench } from './slots/workbench';

export type { ExperimentSlot } from './slots/slot';

/** The slots in the chapter's order (the sidebar's and `lab list`'s). */
const SLOTS = [
  optimizerPaths,
  optimizersMnist,
  initActivations,
  initMnist,
  batchNorm,
  weightDecay,
  dropout,
  hyperparameterSearch,
  workbench,
] as const;

type Slot = (typeof SLOTS)[number];
export type ExperimentId = Slot['id'];

/**
 * Every experiment by id: its slot (src/shared/slots/<id>.ts) holds its parameters with the book's
 * defaults, its text, figures and book references. The engine, the forms, the command line and the
 * tests all read it; the engine's modules are a table over the same ids (engine/experiments/registry.ts).
 */
export const EXPERIMENTS = Object.fromEntries(SLOTS.map((slot) => [slot.id, slot])) as {
  [Id in ExperimentId]: Extract<Slot, { id: Id }>;
};
export const EXPERIMENT_IDS: readonly ExperimentId[] = SLOTS.map((slot) => slot.id);
export type ExperimentParams<Id extends ExperimentId> = z.output<(typeof EXPERIMENTS)[Id]['params']>;

/** A slot seen through its common shape (for code that handles every experiment alike). */
export const slotOf = (id: ExperimentId): ExperimentSlot => EXPERIMENTS[id];

export const experimentIdSchema = z.enum(EXPERIMENT_IDS as [ExperimentId, ...ExperimentId[]]);

export function isExperimentId(value: string): value is ExperimentId {
  return Object.hasOwn(EXPERIMENTS, value);
}

export class ParamError extends Error {
  constructor(
    readonly experiment: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(issues.map((i) => `${i.path || '(parameters)'}: ${i.message}`).join('\n'));
    this.name = 'ParamError';
  }
}

/** Validates and completes an experiment's parameters (defaults filled in); throws ParamError naming each bad one. */
export function parseParams<Id extends ExperimentId>(id: Id, input: unknown): ExperimentParams<Id> {
  const result = slotOf(id).params.safeParse(input ?? {});
  if (result.success) return result.data as ExperimentParams<Id>;
  const schema = paramsJsonSchema(id);
  throw new ParamError(
    id,
    result.error.issues.map((issue) => describeIssue(schema, input, issue)),
  );
}

export function defaultParams<Id extends ExperimentId>(id: Id): ExperimentParams<Id> {
  return parseParams(id, {});
}

function describeIssue(
  schema: JsonSchemaNode,
  input: unknown,
  issue: z.core.$ZodIssue,
): { path: string; message: string } {
  let node: JsonSchemaNode | undefined = schema;
  let value: unknown = input;
  const names: string[] = [];
  for (const key of issue.path.map(String)) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    const itemName = typeof value === 'string' ? value : (value as { name?: unknown } | undefined)?.name;
    names.push(/^\d+$/.test(key) && typeof itemName === 'string' ? itemName : key);
    node = /^\d+$/.test(key) ? node?.items : node?.properties?.[key];
    node = pickBranch(node, itemName);
  }
  const range = node ? allowedRange(node) : undefined;
  return { path: names.join('.'), message: range ? `${issue.message} (allowed: ${range})` : issue.message };
}

/** In a union of named variants (the optimizers), the variant the input names. */
function pickBranch(node: JsonSchemaNode | undefined, name: unknown): JsonSchemaNode | undefined {
  const branches = node?.oneOf ?? node?.anyOf;
  if (!branches || typeof name !== 'string') return node;
  return branches.find((b) => b.properties?.name?.const === name) ?? node;
}

/** "1 to 1000000 (integer)" for a numeric parameter, "a | b" for a choice, "x, or y" for a union. */
export function allowedRange(node: JsonSchemaNode): string | undefined {
  const branches = node.anyOf ?? node.oneOf;
  if (branches) {
    const ranges = branches.map(allowedRange).filter((range) => range !== undefined);
    return ranges.length > 0 ? ranges.join(', or ') : undefined;
  }
  if (node.enum) return node.enum.join(' | ');
  const lo = node.minimum ?? node.exclusiveMinimum;
  const hi = node.maximum ?? node.exclusiveMaximum;
  if (lo === undefined && hi === undefined) return undefined;
  const left = node.exclusiveMinimum !== undefined ? `> ${lo}` : `${lo ?? '-∞'}`;
  const right = node.exclusiveMaximum !== undefined ? `< ${hi}` : `${hi ?? '∞'}`;
  return `${left} to ${right}${node.type === 'integer' ? ' (integer)' : ''}`;
}

export interface JsonSchemaNode {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  oneOf?: JsonSchemaNode[];
  anyOf?: JsonSchemaNode[];
  enum?: (string | number)[];
  const?: string | number;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  label?: string;
  choices?: readonly string[];
}

/** The parameter schema as plain JSON (types, defaults, limits, labels): what forms and `lab list` render. */
export function paramsJsonSchema(id: ExperimentId): JsonSchemaNode {
  return z.toJSONSchema(slotOf(id).params, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
}

/** A run's parameters as its slot types them, or null when they do not validate (a record from another version). */
export function typedParams(id: ExperimentId, params: unknown): unknown {
  if (params === null || params === undefined) return null;
  const parsed = slotOf(id).params.safeParse(params);
  return parsed.success ? parsed.data : null;
}

/**
 * Fig. 6-16: the net the experiment `id` would train with `params` (a form's, validated here), from its
 * slot's `network`; null when they are not valid or it trains no net.
 */
export function networkShape(id: ExperimentId, params: unknown): NetworkShape | null {
  const parsed = slotOf(id).params.safeParse(params ?? {});
  return parsed.success ? slotOf(id).network(parsed.data) : null;
}

/** What figuresFor draws: a run's record or a live run's points, with raw (unvalidated) parameters. */
export interface RunFigureInput extends Omit<
  FigureInput<unknown>,
  'params' | 'draft' | 'summary' | 'status' | 'totalSteps'
> {
  experiment: string;
  params?: Record<string, unknown> | null;
  draft?: Record<string, unknown> | null;
  summary?: Record<string, unknown> | null;
  status?: string | null;
  totalSteps?: number | null;
}

/**
 * The figures of a run: for a run of a known experiment, its slot's; a run of an experiment this
 * version does not know draws nothing.
 */
export function figuresFor(input: RunFigureInput, options: FigureOptions = {}): ChartDefinition[] {
  if (!isExperimentId(input.experiment)) return [];
  const id = input.experiment;
  return slotOf(id).figures(
    {
      series: input.series,
      summary: input.summary ?? null,
      params: typedParams(id, input.params),
      draft: typedParams(id, input.draft),
      status: input.status ?? null,
      totalSteps: input.totalSteps ?? null,
    },
    {
      t: options.t ?? englishText,
      interactive: options.interactive ?? true,
      embed: options.embedTitle ?? false,
      status: input.status ?? null,
      totalSteps: input.totalSteps ?? null,
      view: options.view ?? defaultView,
      ...(options.pathStep === undefined ? {} : { pathStep: options.pathStep }),
    },
  );
}

/**
 * The figures of several runs of one experiment (the compare view): each run's own figures, laid on
 * top of each other figure by figure (charts/compare.ts). Runs of different experiments draw nothing.
 */
export function compareFiguresFor(runs: readonly RunFigureInput[], options: FigureOptions = {}): ChartDefinition[] {
  const experiment = runs[0]?.experiment;
  if (runs.some((run) => run.experiment !== experiment)) return [];
  return overlayRunFigures(runs.map((run) => figuresFor({ ...run, draft: null }, options)));
}
