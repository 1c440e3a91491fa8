import { z } from 'zod';
import { batchNorm } from './experiment-defs/batch-norm';
import type { ExperimentDefinition } from './experiment-defs/definition';
import { dropout } from './experiment-defs/dropout';
import { hyperparameterSearch } from './experiment-defs/hyperparameter-search';
import { initActivations } from './experiment-defs/init-activations';
import { initMnist } from './experiment-defs/init-mnist';
import { optimizerPaths } from './experiment-defs/optimizer-paths';
import { optimizersMnist } from './experiment-defs/optimizers-mnist';
import { weightDecay } from './experiment-defs/weight-decay';

export type { ExperimentDefinition } from './experiment-defs/definition';
export { optimizersMnistParams, type OptimizersMnistParams } from './experiment-defs/optimizers-mnist';

/**
 * The one source of truth for every experiment: id, book figure, parameter schema with the book's
 * defaults and limits (one file each in experiment-defs/). The engine, the forms, the command line and
 * the tests all read it. The order here is the chapter's order, used by the sidebar and `lab list`.
 */
export const EXPERIMENTS = {
  'optimizer-paths': optimizerPaths,
  'optimizers-mnist': optimizersMnist,
  'init-activations': initActivations,
  'init-mnist': initMnist,
  'batch-norm': batchNorm,
  'weight-decay': weightDecay,
  dropout,
  'hyperparameter-search': hyperparameterSearch,
} as const satisfies Record<string, ExperimentDefinition>;

export type ExperimentId = keyof typeof EXPERIMENTS;
export const EXPERIMENT_IDS = Object.keys(EXPERIMENTS) as ExperimentId[];
export type ExperimentParams<Id extends ExperimentId> = z.output<(typeof EXPERIMENTS)[Id]['params']>;

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
  const result = EXPERIMENTS[id].params.safeParse(input ?? {});
  if (result.success) return result.data as ExperimentParams<Id>;
  const schema = paramsJsonSchema(id);
  throw new ParamError(id, result.error.issues.map((issue) => describeIssue(schema, input, issue)));
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
  return z.toJSONSchema(EXPERIMENTS[id].params, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
}
