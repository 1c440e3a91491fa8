import {
  type ExperimentId,
  type JsonSchemaNode,
  ParamError,
  defaultParams,
  parseParams,
  paramsJsonSchema,
} from '../../../shared/experiments';
import { OPTIMIZER_NAMES, type OptimizerName, defaultOptimizer } from '../../../shared/optimizers';

/**
 * A parameter form generated from an experiment's JSON Schema (paramsJsonSchema): which control each
 * parameter gets, the form's values (text as typed, so a half-typed number is not lost) and how they
 * become the parameters that parseParams validates. No UI framework here.
 */

export interface NumberSpec {
  integer: boolean;
  min?: number;
  max?: number;
  exclusiveMin: boolean;
  exclusiveMax: boolean;
}

export interface VariantParamSpec {
  name: string;
  label: string;
  number: NumberSpec;
}

interface FieldBase {
  name: string;
  /** The schema's English label, used when the UI has no translation for the parameter. */
  label: string;
}

export type FieldSpec =
  | (FieldBase & { kind: 'number'; number: NumberSpec })
  | (FieldBase & { kind: 'choice'; choices: string[] })
  | (FieldBase & { kind: 'boolean' })
  /** A number or one of some names, e.g. weight init: a standard deviation, 'he' or 'xavier'. */
  | (FieldBase & { kind: 'numberOrChoice'; number: NumberSpec; choices: string[] })
  /**
   * A list of numbers typed as "100,100,100"; with `itemChoices`, names may stand in for numbers
   * ("0.01,xavier,he").
   */
  | (FieldBase & { kind: 'numberList'; item: NumberSpec; itemChoices?: string[]; minItems?: number; maxItems?: number })
  /** A group of numbers under one name, e.g. a start point { x, y }: a number input per member. */
  | (FieldBase & { kind: 'group'; members: VariantParamSpec[] })
  /** A list of named variants with their own numbers, each name at most once: the optimizers. */
  | (FieldBase & {
      kind: 'variants';
      choices: string[];
      variants: Record<string, VariantParamSpec[]>;
      minItems?: number;
    })
  /** One of several named kinds with their own numbers: a variant's optimizer `{ name: 'Adam', lr, ... }`. */
  | (FieldBase & { kind: 'optimizer'; choices: string[]; variants: Record<string, VariantParamSpec[]> })
  /** Plain text: a variant's name. */
  | (FieldBase & { kind: 'string'; minLength?: number; maxLength?: number })
  /** A list of named recipes, each a little form of its own (the workbench's variants). */
  | (FieldBase & { kind: 'recipes'; item: FieldSpec[]; minItems?: number; maxItems?: number })
  /** Anything else, edited as JSON text. */
  | (FieldBase & { kind: 'text' });

/** In a numberOrChoice field, the choice that means "the number typed next to it". */
export const NUMBER_CHOICE = '#number';

export interface NumberOrChoiceValue {
  choice: string;
  number: string;
}
export interface VariantsValue {
  selected: Record<string, boolean>;
  values: Record<string, Record<string, string>>;
}
/** A group's members as typed, by member name. */
export type GroupValue = Record<string, string>;
/** The chosen optimizer and its numbers as typed. */
export interface OptimizerValue {
  name: string;
  hypers: Record<string, string>;
}
/** Each recipe's own form values, in order. */
export interface RecipesValue {
  recipes: FormValues[];
}
export type FieldValue =
  string | boolean | NumberOrChoiceValue | VariantsValue | GroupValue | OptimizerValue | RecipesValue;
export type FormValues = Record<string, FieldValue>;

export interface Issue {
  path: string;
  message: string;
}

function numberSpec(node: JsonSchemaNode): NumberSpec {
  return {
    integer: node.type === 'integer',
    min: node.minimum ?? node.exclusiveMinimum,
    max: node.maximum ?? node.exclusiveMaximum,
    exclusiveMin: node.exclusiveMinimum !== undefined,
    exclusiveMax: node.exclusiveMaximum !== undefined,
  };
}

const isNumeric = (node: JsonSchemaNode | undefined) => node?.type === 'number' || node?.type === 'integer';

/** A string's length limits, which JsonSchemaNode does not name. */
type StringNode = JsonSchemaNode & { minLength?: number; maxLength?: number };

/** Branches that each name their kind (`name: { const: 'Adam' }`): the optimizers. */
const namedBranches = (branches: JsonSchemaNode[] | undefined): boolean =>
  !!branches && branches.length > 0 && branches.every((v) => v.properties?.name?.const !== undefined);

/** The numbers of each named kind, by its name. */
function kindParams(branches: JsonSchemaNode[]): Record<string, VariantParamSpec[]> {
  const variants: Record<string, VariantParamSpec[]> = {};
  for (const v of branches) {
    variants[String(v.properties!.name!.const)] = Object.entries(v.properties!)
      .filter(([key, p]) => key !== 'name' && isNumeric(p))
      .map(([key, p]) => ({ name: key, label: p.label ?? key, number: numberSpec(p) }));
  }
  return variants;
}

/** One field per top-level parameter, in the schema's order. */
export function describeFields(schema: JsonSchemaNode): FieldSpec[] {
  return Object.entries(schema.properties ?? {}).map(([name, node]) => describeField(name, node));
}

function describeField(name: string, node: JsonSchemaNode): FieldSpec {
  const label = node.label ?? name;
  if (isNumeric(node)) return { kind: 'number', name, label, number: numberSpec(node) };
  if (node.type === 'boolean') return { kind: 'boolean', name, label };
  if (node.enum) return { kind: 'choice', name, label, choices: node.enum.map(String) };
  if (node.type === 'string') {
    const { minLength, maxLength } = node as StringNode;
    return { kind: 'string', name, label, minLength, maxLength };
  }
  const branches = node.anyOf ?? node.oneOf;
  if (namedBranches(branches)) {
    const variants = kindParams(branches!);
    return { kind: 'optimizer', name, label, choices: Object.keys(variants), variants };
  }
  if (branches) {
    const numeric = branches.find(isNumeric);
    const named = branches.find((b) => b.enum);
    if (numeric && named) {
      return { kind: 'numberOrChoice', name, label, number: numberSpec(numeric), choices: named.enum!.map(String) };
    }
  }
  if (node.type === 'object' && node.properties) {
    const entries = Object.entries(node.properties);
    if (entries.length > 0 && entries.every(([, p]) => isNumeric(p))) {
      return {
        kind: 'group',
        name,
        label,
        members: entries.map(([key, p]) => ({ name: key, label: p.label ?? key, number: numberSpec(p) })),
      };
    }
  }
  if (node.type === 'array' && node.items) {
    if (isNumeric(node.items)) {
      return {
        kind: 'numberList',
        name,
        label,
        item: numberSpec(node.items),
        minItems: node.minItems,
        maxItems: node.maxItems,
      };
    }
    const itemBranches = node.items.anyOf ?? node.items.oneOf;
    const numericItem = itemBranches?.find(isNumeric);
    const namedItem = itemBranches?.find((b) => b.enum);
    if (numericItem && namedItem) {
      return {
        kind: 'numberList',
        name,
        label,
        item: numberSpec(numericItem),
        itemChoices: namedItem.enum!.map(String),
        minItems: node.minItems,
        maxItems: node.maxItems,
      };
    }
    const variantNodes = node.items.oneOf ?? node.items.anyOf;
    if (namedBranches(variantNodes)) {
      const variants = kindParams(variantNodes!);
      const choices = node.choices ? [...node.choices] : Object.keys(variants);
      return { kind: 'variants', name, label, choices, variants, minItems: node.minItems };
    }
    const item = node.items;
    if (item.type === 'object' && item.properties?.name?.type === 'string') {
      return {
        kind: 'recipes',
        name,
        label,
        item: describeFields(item),
        minItems: node.minItems,
        maxItems: node.maxItems,
      };
    }
  }
  return { kind: 'text', name, label };
}

/** The defaults of one variant: the book's optimizer defaults where the name is an optimizer. */
function variantDefaults(name: string): Record<string, string> {
  if (!(OPTIMIZER_NAMES as readonly string[]).includes(name)) return {};
  const spec = defaultOptimizer(name as OptimizerName) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(spec)
      .filter(([k]) => k !== 'name')
      .map(([k, v]) => [k, String(v)]),
  );
}

function variantSchemaDefaults(schema: JsonSchemaNode, field: string, name: string): Record<string, string> {
  const items = schema.properties?.[field]?.items;
  const node = (items?.oneOf ?? items?.anyOf)?.find((v) => v.properties?.name?.const === name);
  return Object.fromEntries(
    Object.entries(node?.properties ?? {})
      .filter(([k, p]) => k !== 'name' && p.default !== undefined)
      .map(([k, p]) => [k, String(p.default)]),
  );
}

/** The form's values for the given (complete) parameters. */
export function formValuesFrom(id: ExperimentId, fields: FieldSpec[], params: Record<string, unknown>): FormValues {
  return valuesFor(paramsJsonSchema(id), fields, params);
}

/** An optimizer's numbers as typed: its book defaults, then those given. */
function optimizerValue(field: Extract<FieldSpec, { kind: 'optimizer' }>, value: unknown): OptimizerValue {
  const spec = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const name = typeof spec.name === 'string' ? spec.name : (field.choices[0] ?? '');
  const hypers = variantDefaults(name);
  for (const p of field.variants[name] ?? []) if (spec[p.name] !== undefined) hypers[p.name] = String(spec[p.name]);
  return { name, hypers };
}

/** The optimizer `name` at its book defaults (a variant switching optimizer). */
export const optimizerDefaults = (name: string): OptimizerValue => ({ name, hypers: variantDefaults(name) });

function valuesFor(schema: JsonSchemaNode, fields: FieldSpec[], params: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const value = params[field.name];
    switch (field.kind) {
      case 'number':
      case 'choice':
      case 'string':
        values[field.name] = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
        break;
      case 'boolean':
        values[field.name] = value === true;
        break;
      case 'optimizer':
        values[field.name] = optimizerValue(field, value);
        break;
      case 'recipes': {
        const list = Array.isArray(value) ? (value as unknown[]) : [];
        values[field.name] = {
          recipes: list.map((item) =>
            valuesFor(schema, field.item, item && typeof item === 'object' ? (item as Record<string, unknown>) : {}),
          ),
        };
        break;
      }
      case 'numberOrChoice':
        values[field.name] =
          typeof value === 'number'
            ? { choice: NUMBER_CHOICE, number: String(value) }
            : { choice: typeof value === 'string' ? value : (field.choices[0] ?? NUMBER_CHOICE), number: '0.01' };
        break;
      case 'numberList':
        values[field.name] = Array.isArray(value) ? value.join(',') : '';
        break;
      case 'group': {
        const group = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
        values[field.name] = Object.fromEntries(
          field.members.map((m) => [
            m.name,
            group[m.name] === undefined || group[m.name] === null ? '' : String(group[m.name]),
          ]),
        );
        break;
      }
      case 'variants': {
        const list = Array.isArray(value) ? (value as unknown[]) : [];
        const selected: Record<string, boolean> = {};
        const hyper: Record<string, Record<string, string>> = {};
        for (const name of field.choices) {
          selected[name] = false;
          // The experiment's own defaults (the toy function's learning rates) over the book's MNIST ones.
          hyper[name] = { ...variantDefaults(name), ...variantSchemaDefaults(schema, field.name, name) };
        }
        for (const item of list) {
          const entry = (typeof item === 'string' ? { name: item } : item) as Record<string, unknown>;
          const name = String(entry.name);
          selected[name] = true;
          hyper[name] = { ...hyper[name] };
          for (const [k, v] of Object.entries(entry)) if (k !== 'name') hyper[name][k] = String(v);
        }
        values[field.name] = { selected, values: hyper };
        break;
      }
      case 'text':
        values[field.name] = value === undefined ? '' : JSON.stringify(value);
        break;
    }
  }
  return values;
}

export function defaultFormValues(id: ExperimentId, fields: FieldSpec[]): FormValues {
  return formValuesFrom(id, fields, defaultParams(id));
}

/** A new recipe named `name`, every other field at the experiment's defaults for a recipe. */
export function newRecipe(id: ExperimentId, field: Extract<FieldSpec, { kind: 'recipes' }>, name: string): FormValues {
  const params = parseParams(id, { ...defaultParams(id), [field.name]: [{ name }] }) as Record<string, unknown>;
  const [recipe] = params[field.name] as Record<string, unknown>[];
  return valuesFor(paramsJsonSchema(id), field.item, recipe ?? { name });
}

/** A typed number, or the text as it is so that validation names the field. */
function toNumber(text: string): number | string {
  const s = text.trim();
  if (s === '') return s;
  const n = Number(s);
  return Number.isFinite(n) ? n : s;
}

/** The text of a field edited as text (number, choice, number list, JSON); '' for a value of another kind. */
const textOf = (value: FieldValue | undefined): string => (typeof value === 'string' ? value : '');

/** The parameters the form's values stand for (not yet validated). */
export function paramsFrom(fields: FieldSpec[], values: FormValues): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (value === undefined) continue;
    switch (field.kind) {
      case 'number':
        params[field.name] = toNumber(textOf(value));
        break;
      case 'choice':
      case 'string':
        params[field.name] = textOf(value);
        break;
      case 'boolean':
        params[field.name] = value === true;
        break;
      case 'numberOrChoice': {
        const v = value as NumberOrChoiceValue;
        params[field.name] = v.choice === NUMBER_CHOICE ? toNumber(v.number) : v.choice;
        break;
      }
      case 'optimizer': {
        const v = value as OptimizerValue;
        const entry: Record<string, unknown> = { name: v.name };
        for (const p of field.variants[v.name] ?? []) {
          const typed = v.hypers[p.name];
          if (typed !== undefined) entry[p.name] = toNumber(typed);
        }
        params[field.name] = entry;
        break;
      }
      case 'recipes':
        params[field.name] = (value as RecipesValue).recipes.map((recipe) => paramsFrom(field.item, recipe));
        break;
      case 'numberList': {
        const text = textOf(value).trim();
        // A part that is no number becomes NaN (not its text), so the message names its position.
        params[field.name] =
          text === ''
            ? []
            : text.split(',').map((part) => {
                if (field.itemChoices?.includes(part.trim().toLowerCase())) return part.trim().toLowerCase();
                const n = toNumber(part);
                // A name that is no choice stays text (the message then lists the choices); else NaN names
                // the position.
                return typeof n === 'number' ? n : field.itemChoices ? part.trim() : Number.NaN;
              });
        break;
      }
      case 'group': {
        const v = value as GroupValue;
        params[field.name] = Object.fromEntries(field.members.map((m) => [m.name, toNumber(v[m.name] ?? '')]));
        break;
      }
      case 'variants': {
        const v = value as VariantsValue;
        params[field.name] = field.choices
          .filter((name) => v.selected[name])
          .map((name) => {
            const entry: Record<string, unknown> = { name };
            for (const p of field.variants[name] ?? []) {
              const typed = v.values[name]?.[p.name];
              if (typed !== undefined) entry[p.name] = toNumber(typed);
            }
            return entry;
          });
        break;
      }
      case 'text': {
        const text = textOf(value).trim();
        if (text === '') break;
        try {
          params[field.name] = JSON.parse(text);
        } catch {
          params[field.name] = text;
        }
        break;
      }
    }
  }
  return params;
}

export interface Validation {
  /** The complete parameters when valid, else null. */
  params: Record<string, unknown> | null;
  issues: Issue[];
}

export function validate(id: ExperimentId, fields: FieldSpec[], values: FormValues): Validation {
  try {
    return { params: parseParams(id, paramsFrom(fields, values)), issues: [] };
  } catch (error) {
    if (error instanceof ParamError) return { params: null, issues: error.issues };
    return { params: null, issues: [{ path: '', message: error instanceof Error ? error.message : String(error) }] };
  }
}

/** "[1, 1000000]", "(0, 100]": the allowed interval of a number. */
export function interval(spec: NumberSpec): string {
  const lo = spec.min === undefined ? '-∞' : String(spec.min);
  const hi = spec.max === undefined ? '∞' : String(spec.max);
  return `${spec.exclusiveMin || spec.min === undefined ? '(' : '['}${lo}, ${hi}${spec.exclusiveMax || spec.max === undefined ? ')' : ']'}`;
}

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** The issue's message in the UI language, from what the schema allows; the raw message otherwise. */
export function localizeIssue(fields: FieldSpec[], values: FormValues, issue: Issue, t: Translate): string {
  const [head, ...rest] = issue.path.split('.');
  const field = fields.find((f) => f.name === head);
  const numberMessage = (spec: NumberSpec) =>
    t(spec.integer ? 'errors.integerIn' : 'errors.numberIn', { range: interval(spec) });
  if (!field) return issue.message;
  switch (field.kind) {
    case 'number':
      return numberMessage(field.number);
    case 'choice':
      return t('errors.oneOf', { choices: field.choices.join(', ') });
    case 'numberOrChoice': {
      const v = values[field.name] as NumberOrChoiceValue | undefined;
      return v?.choice === NUMBER_CHOICE
        ? numberMessage(field.number)
        : t('errors.oneOf', { choices: field.choices.join(', ') });
    }
    case 'numberList': {
      // The path names an item by its index, or (a text item) by itself: "inits.kaiming".
      const parts = textOf(values[field.name])
        .split(',')
        .map((part) => part.trim());
      const index =
        rest[0] === undefined
          ? undefined
          : /^\d+$/.test(rest[0])
            ? Number(rest[0])
            : parts.includes(rest[0])
              ? parts.indexOf(rest[0])
              : undefined;
      if (field.itemChoices) {
        const item = t('errors.numberOrName', { range: interval(field.item), choices: field.itemChoices.join(', ') });
        if (index !== undefined) return t('errors.item', { n: index + 1, message: item });
        return issue.message.includes('once')
          ? t('errors.once')
          : t('errors.itemCount', { min: field.minItems ?? 1, max: field.maxItems ?? '∞' });
      }
      if (index !== undefined) return t('errors.layer', { n: index + 1, message: numberMessage(field.item) });
      return t('errors.listSize', { min: field.minItems ?? 1, max: field.maxItems ?? '∞' });
    }
    case 'group': {
      const spec = rest[0] ? field.members.find((m) => m.name === rest[0]) : undefined;
      return spec ? numberMessage(spec.number) : issue.message;
    }
    case 'string':
      return t('errors.textLength', { min: field.minLength ?? 0, max: field.maxLength ?? '∞' });
    case 'optimizer': {
      const v = values[field.name] as OptimizerValue | undefined;
      const spec = rest[0] && v ? field.variants[v.name]?.find((p) => p.name === rest[0]) : undefined;
      return spec ? numberMessage(spec.number) : t('errors.oneOf', { choices: field.choices.join(', ') });
    }
    case 'recipes': {
      const v = values[field.name] as RecipesValue | undefined;
      const at = v ? recipeOfPath(v, issue.path.slice(field.name.length + 1)) : null;
      const recipe = at && at.rest !== '' ? v?.recipes[at.indexes[0]!] : undefined;
      if (at && recipe) return localizeIssue(field.item, recipe, { ...issue, path: at.rest }, t);
      if (issue.message.includes('name of its own')) return t('errors.uniqueNames');
      const count = v?.recipes.length ?? 0;
      if (count < (field.minItems ?? 1) || count > (field.maxItems ?? Infinity))
        return t('errors.recipeCount', { min: field.minItems ?? 1, max: field.maxItems ?? '∞' });
      return issue.message;
    }
    case 'variants': {
      const [variant, param] = rest;
      const spec = variant && param ? field.variants[variant]?.find((p) => p.name === param) : undefined;
      if (spec) return numberMessage(spec.number);
      const v = values[field.name] as VariantsValue | undefined;
      const count = v ? field.choices.filter((c) => v.selected[c]).length : 0;
      if (rest.length === 0 && count < (field.minItems ?? 1))
        return t('errors.pickAtLeast', { min: field.minItems ?? 1 });
      return issue.message;
    }
    default:
      return issue.message;
  }
}

/**
 * The recipes a path below a recipes field names (`Batch Norm.dropoutRatio`, `2.name`) and the rest of
 * it: by the name as typed (a name may hold dots, `dropout 0.2`: the longest that fits), else by
 * position. Several recipes when they share the name.
 */
export function recipeOfPath(value: RecipesValue, path: string): { indexes: number[]; rest: string } | null {
  const names = value.recipes.map((recipe) => textOf(recipe.name));
  const fits = (name: string) => path === name || path.startsWith(`${name}.`);
  const best = names.filter(fits).sort((a, b) => b.length - a.length)[0];
  if (best !== undefined) {
    return { indexes: names.flatMap((n, i) => (n === best ? [i] : [])), rest: path.slice(best.length + 1) };
  }
  const [head = '', ...rest] = path.split('.');
  if (/^\d+$/.test(head) && Number(head) < names.length) return { indexes: [Number(head)], rest: rest.join('.') };
  return null;
}

/**
 * A recipes field's issues: those of the list itself, and each recipe's with its path by position
 * (`variants.2.dropoutRatio`), so that a message sits beside its own card's field.
 */
export function recipeIssues(
  field: Extract<FieldSpec, { kind: 'recipes' }>,
  value: RecipesValue,
  issues: readonly Issue[],
): { list: Issue[]; items: Issue[][] } {
  const list: Issue[] = [];
  const items = value.recipes.map((): Issue[] => []);
  for (const issue of issues) {
    const below = issue.path.startsWith(`${field.name}.`) ? issue.path.slice(field.name.length + 1) : null;
    const at = below === null ? null : recipeOfPath(value, below);
    if (!at || at.rest === '') list.push(issue);
    else for (const i of at.indexes) items[i]!.push({ ...issue, path: `${field.name}.${i}.${at.rest}` });
  }
  return { list, items };
}

/** The data-testid suffix of an error: the dotted path joined with '-'. */
export const errorTestId = (path: string) => `error-${path.split('.').join('-')}`;
