import { describe, expect, it } from 'vitest';
import { EXPERIMENT_IDS } from '../../../shared/experiments';
import { NPZ_PROBLEMS } from '../../../shared/npz';
import { fieldsFor } from '../lib/experiment-fields';
import type { FieldSpec } from '../lib/param-form';
import en from './en';
import zhCN from './zh-CN';

/** Every field of every form, the workbench variants' own fields too. */
const allFields = (fields: FieldSpec[]): FieldSpec[] =>
  fields.flatMap((f) => (f.kind === 'recipes' ? [f, ...allFields(f.item)] : [f]));

describe('the form in both languages', () => {
  const fields = EXPERIMENT_IDS.flatMap((id) => allFields(fieldsFor(id)));
  const choices = (messages: typeof en, field: string) =>
    (messages.choices as Record<string, Record<string, string> | undefined>)[field] ?? {};

  it.each([
    ['en', en],
    ['zh-CN', zhCN],
  ] as const)('names every parameter and every choice (%s)', (_, messages) => {
    const params = messages.params as Record<string, string>;
    expect(fields.map((f) => f.name).filter((name) => !params[name])).toEqual([]);
    const unnamed = fields.flatMap((f) =>
      f.kind === 'choice' ? f.choices.filter((c) => !choices(messages, f.name)[c]).map((c) => `${f.name}.${c}`) : [],
    );
    expect(unnamed).toEqual([]);
  });
});

describe('an imported .npz’s problems in both languages', () => {
  it.each([
    ['en', en],
    ['zh-CN', zhCN],
  ] as const)('names every problem (%s)', (_, messages) => {
    const errors = messages.npzImport.errors as Record<string, string | undefined>;
    expect(NPZ_PROBLEMS.filter((problem) => !errors[problem])).toEqual([]);
    expect(Object.keys(errors).filter((key) => !(NPZ_PROBLEMS as readonly string[]).includes(key))).toEqual([]);
  });
});
