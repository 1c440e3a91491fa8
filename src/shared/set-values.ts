/**
 * `--set key=value` (the command line) and `?key=value` (an experiment page's address): value is JSON
 * when it parses (numbers, arrays, objects), a comma list otherwise ("SGD,Adam" -> ["SGD", "Adam"]),
 * else the plain string. Dotted keys reach inside: `hidden.0=50`, and an array of named items is
 * indexed by name: `optimizers.Adam.lr=0.002`. An index one past the end of a list of groups adds a copy
 * of its last item (`variants.2.dropoutRatio=0.2`); `<group>.name=<kind>` on a group held by a field
 * (`variants.0.optimizer.name=Adam`) makes it that kind at its defaults.
 */
export function parseSetValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    if (text.includes(',')) return text.split(',').map((part) => parseSetValue(part.trim()));
    return text;
  }
}

export class SetError extends Error {}

export function applySet(target: Record<string, unknown>, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new SetError(`--set expects key=value, got "${assignment}"`);
  const path = assignment.slice(0, eq).split('.');
  const value = parseSetValue(assignment.slice(eq + 1));
  let node: unknown = target;
  let parent: unknown = undefined;
  for (let i = 0; i < path.length - 1; i++) {
    parent = node;
    node = child(node, path[i]!, path.slice(0, i + 1).join('.'));
  }
  const last = path[path.length - 1]!;
  if (last === 'name' && renamesKind(parent, node, value)) {
    // A group chosen by its name (`variants.2.optimizer.name=Adam`) becomes that kind at its defaults:
    // the old kind's other fields (Momentum's momentum) mean nothing to the new one.
    (parent as Record<string, unknown>)[path[path.length - 2]!] = { name: value };
    return;
  }
  if (Array.isArray(node)) node[arrayIndex(node, last, path.join('.'))] = value;
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    // A list parameter given one item (`optimizers=SGD`, `hidden=50`) is that list of one.
    record[last] = Array.isArray(record[last]) && !Array.isArray(value) ? [value] : value;
  } else throw new SetError(`"${path.slice(0, -1).join('.')}" is not a group of parameters`);
}

/**
 * Whether setting `name` on `node` picks another kind of group: a named object held by a field (a
 * variant's optimizer), not an item of a list (an item's name is its label, renamed with its fields kept).
 */
function renamesKind(parent: unknown, node: unknown, value: unknown): boolean {
  if (!parent || typeof parent !== 'object' || Array.isArray(parent)) return false;
  if (!node || typeof node !== 'object' || Array.isArray(node)) return false;
  const current = (node as { name?: unknown }).name;
  return typeof current === 'string' && current !== value;
}

function child(node: unknown, key: string, where: string): unknown {
  if (Array.isArray(node)) {
    const index = arrayIndex(node, key, where);
    // One past the end of a list of groups (`variants.2.name=...` with two variants): a new item, a copy
    // of the last one, whose fields the assignment then changes.
    if (index === node.length && index > 0 && node[index - 1] && typeof node[index - 1] === 'object')
      node.push(structuredClone(node[index - 1]));
    // A bare name in a list of named items ("optimizers=SGD,Adam") becomes an item to set fields on.
    if (typeof node[index] === 'string') node[index] = { name: node[index] };
    return node[index];
  }
  if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (!(key in record)) throw new SetError(`unknown parameter "${where}"`);
    return record[key];
  }
  throw new SetError(`"${where}" is not a group of parameters`);
}

function arrayIndex(list: unknown[], key: string, where: string): number {
  if (/^\d+$/.test(key)) return Number(key);
  const index = list.findIndex(
    (item) => item === key || (item && typeof item === 'object' && (item as { name?: unknown }).name === key),
  );
  if (index < 0) throw new SetError(`"${where}": no item named ${key}`);
  return index;
}
