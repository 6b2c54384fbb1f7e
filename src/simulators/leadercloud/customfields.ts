/** Reading and writing custom field values (PUT body `[{id:int, value:string}]`). */
import { CUSTOM_FIELDS, type CustomFieldEntity } from './data.js';
import { badRequest, lcError } from './util.js';

/**
 * Validates a list of CustomFieldValueSave and applies it to `values` (all or nothing).
 * Unknown field ids are a 400 CustomFieldNotFoundError; fields that display data of another
 * system are a 403 CustomFieldReadOnlyError (seen by a public client). An empty or null
 * value clears the field.
 */
export function applyCustomFieldValues(entity: CustomFieldEntity, values: Map<number, string>, body: unknown): void {
  if (!Array.isArray(body)) throw badRequest('The request body must be a JSON array of {id, value}.', 'InvalidBodyError');
  const defs = CUSTOM_FIELDS[entity].fields;
  const changes: Array<[number, string]> = [];
  for (const [index, entry] of body.entries()) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw badRequest(`Item ${index} must be an object {id, value}.`, 'InvalidBodyError');
    const { id, value } = entry as { id?: unknown; value?: unknown };
    if (typeof id !== 'number' || !Number.isInteger(id)) throw badRequest(`Item ${index}: id must be an integer custom field id.`, 'InvalidBodyError');
    const def = defs.find((d) => d.id === id);
    if (!def) {
      throw lcError(400, 'CustomFieldNotFoundError', `Custom field with Id '${id}' was not found for ${entity}s. Valid ids: ${defs.map((d) => d.id).join(', ')}.`);
    }
    if (def.readOnly) {
      throw lcError(403, 'CustomFieldReadOnlyError', `Custom field '${def.name}' (Id '${id}') displays data of another system and cannot be updated.`);
    }
    if (value !== undefined && value !== null && typeof value === 'object') {
      throw badRequest(`Item ${index}: value must be a string.`, 'InvalidBodyError');
    }
    changes.push([id, value === undefined || value === null ? '' : String(value)]);
  }
  for (const [id, value] of changes) {
    if (value === '') values.delete(id);
    else values.set(id, value);
  }
}
