import { type JsonSchemaNode, allowedRange } from '../shared/experiments';

/** One line per parameter: name, default and allowed values, from the schema's JSON form and the defaults. */
export function describeParams(schema: JsonSchemaNode, defaults: Record<string, unknown>): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, node]) => {
    const head = `${name} = ${JSON.stringify(compact(defaults[name]))}  (${node.label ?? name}; ${allowed(node)})`;
    if (name === 'optimizers') return [head, ...describeOptimizers(node)];
    return node.type === 'array' && node.items?.properties ? [head, ...describeItemFields(name, node.items)] : [head];
  });
}

/** The fields of each item of a list of groups (the workbench's variants), indented under it. */
function describeItemFields(list: string, item: JsonSchemaNode): string[] {
  const fields = Object.entries(item.properties ?? {}).map(
    ([key, p]) =>
      `      ${key}${p.default === undefined ? '' : ` = ${JSON.stringify(compact(p.default))}`}  (${allowed(p)})`,
  );
  return [`    each item (e.g. --set ${list}.0.${Object.keys(item.properties ?? {})[1] ?? 'name'}=...):`, ...fields];
}

/** Optimizer lists print as names where the hyper-parameters are the book's defaults. */
function compact(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((item: unknown) =>
    item && typeof item === 'object' && 'name' in item ? (item as { name: string }).name : item,
  );
}

/** Each optimizer with this experiment's defaults (the toy function of Fig. 6-8 has its own learning rates). */
function describeOptimizers(node: JsonSchemaNode): string[] {
  const variants = node.items?.oneOf ?? node.items?.anyOf ?? [];
  return variants.map((variant) => {
    const name = String(variant.properties?.name?.const);
    const params = Object.entries(variant.properties ?? {}).filter(([key]) => key !== 'name');
    const defaults = params.map(([key, p]) => `${key}=${String(p.default)}`).join(' ');
    return `    ${name}: ${defaults}  (e.g. --set optimizers.${name}.${params[0]![0]}=...)`;
  });
}

function allowed(node: JsonSchemaNode): string {
  const union = node.anyOf ?? node.oneOf;
  if (union?.every((branch) => branch.properties?.name?.const !== undefined))
    return `one of ${union.map((branch) => String(branch.properties!.name!.const)).join(' | ')}, with its fields`;
  if (union && node.type !== 'array') return union.map(allowed).join(', or ');
  if (node.type === 'array') {
    const what = node.choices ? `names from ${node.choices.join(', ')}` : node.items ? allowed(node.items) : 'items';
    return `list of ${node.minItems ?? 0} to ${node.maxItems ?? '∞'}: ${what}`;
  }
  const range = allowedRange(node);
  const kind = node.type === 'integer' ? 'integer' : typeof node.type === 'string' ? node.type : 'value';
  return range ? (node.enum ? `one of ${range}` : `${kind} ${range.replace(' (integer)', '')}`) : kind;
}
