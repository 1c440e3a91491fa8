import { type ExperimentId, paramsJsonSchema } from '../../../shared/experiments';
import { type FieldSpec, describeFields } from './param-form';

const cache = new Map<ExperimentId, FieldSpec[]>();

/** The form fields of an experiment, from its JSON Schema (computed once). */
export function fieldsFor(id: ExperimentId): FieldSpec[] {
  let fields = cache.get(id);
  if (!fields) cache.set(id, (fields = describeFields(paramsJsonSchema(id))));
  return fields;
}
