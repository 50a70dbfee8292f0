import { isSensitiveName, maskSensitiveFields, REDACTED } from '../../commons/redactor';

/**
 * The JSON Schema subset the `jsonSchema` assertion checks, implemented here to keep the runner bundle
 * small: `type` (string or list; `integer` included), `enum`, `const`, `required`, `properties`,
 * `additionalProperties: false`, `items` (one schema), `minItems`/`maxItems`, `minimum`/`maximum`,
 * `exclusiveMinimum`/`exclusiveMaximum` (numbers), `minLength`/`maxLength`, `pattern`. Other keywords
 * (`$ref`, `oneOf`, `format`, ...) are ignored.
 */
export type JsonSchema = Readonly<Record<string, unknown>>;

const typeOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
};

const matchesType = (value: unknown, type: string): boolean => {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeOf(value) === type;
};

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** How long a value quoted in a problem may be. */
const SHOWN_CHARS = 80;

/** A response value quoted in a problem: masked when its key looks like a credential, short, one line. */
const shown = (path: string, value: unknown): string => {
  const key = /([A-Za-z_$][\w$-]*)$/.exec(path)?.[1] ?? '';
  if (isSensitiveName(key)) return REDACTED;
  const text = maskSensitiveFields(JSON.stringify(value) ?? 'undefined');
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
};

const isSchema = (value: unknown): value is JsonSchema =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const check = (schema: JsonSchema, value: unknown, path: string, problems: string[]): void => {
  const type = schema.type;
  if (type !== undefined) {
    const types = Array.isArray(type) ? (type as string[]) : [type as string];
    if (!types.some((candidate) => matchesType(value, candidate))) {
      problems.push(`${path}: expected ${types.join(' or ')}, got ${typeOf(value)}`);
      return;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => same(option, value))) {
    problems.push(`${path}: expected one of ${JSON.stringify(schema.enum)}, got ${shown(path, value)}`);
  }
  if ('const' in schema && !same(schema.const, value)) {
    problems.push(`${path}: expected ${JSON.stringify(schema.const)}, got ${shown(path, value)}`);
  }
  if (typeof value === 'number') {
    const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema;
    if (typeof minimum === 'number' && value < minimum)
      problems.push(`${path}: ${value} < minimum ${minimum}`);
    if (typeof maximum === 'number' && value > maximum)
      problems.push(`${path}: ${value} > maximum ${maximum}`);
    if (typeof exclusiveMinimum === 'number' && value <= exclusiveMinimum) {
      problems.push(`${path}: ${value} <= exclusiveMinimum ${exclusiveMinimum}`);
    }
    if (typeof exclusiveMaximum === 'number' && value >= exclusiveMaximum) {
      problems.push(`${path}: ${value} >= exclusiveMaximum ${exclusiveMaximum}`);
    }
  }
  if (typeof value === 'string') {
    const { minLength, maxLength, pattern } = schema;
    if (typeof minLength === 'number' && value.length < minLength) {
      problems.push(`${path}: length ${value.length} < minLength ${minLength}`);
    }
    if (typeof maxLength === 'number' && value.length > maxLength) {
      problems.push(`${path}: length ${value.length} > maxLength ${maxLength}`);
    }
    if (typeof pattern === 'string' && !new RegExp(pattern, 'u').test(value)) {
      problems.push(`${path}: does not match pattern ${pattern}`);
    }
  }
  if (Array.isArray(value)) {
    const { minItems, maxItems, items } = schema;
    if (typeof minItems === 'number' && value.length < minItems) {
      problems.push(`${path}: ${value.length} items < minItems ${minItems}`);
    }
    if (typeof maxItems === 'number' && value.length > maxItems) {
      problems.push(`${path}: ${value.length} items > maxItems ${maxItems}`);
    }
    if (isSchema(items)) {
      value.forEach((item, index) => {
        check(items, item, `${path}[${index}]`, problems);
      });
    }
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = isSchema(schema.properties) ? (schema.properties as Record<string, unknown>) : {};
    if (Array.isArray(schema.required)) {
      for (const key of schema.required as string[]) {
        if (!Object.hasOwn(object, key)) problems.push(`${path}: missing required property '${key}'`);
      }
    }
    for (const [key, propertySchema] of Object.entries(properties)) {
      if (Object.hasOwn(object, key) && isSchema(propertySchema)) {
        check(propertySchema, object[key], `${path}.${key}`, problems);
      }
    }
    if (schema.additionalProperties === false) {
      for (const key of Object.keys(object)) {
        if (!Object.hasOwn(properties, key)) problems.push(`${path}: unexpected property '${key}'`);
      }
    }
  }
};

/**
 * Validates a parsed JSON value against the supported subset of JSON Schema.
 *
 * @returns the problems found, each prefixed with its path (`$.flights[2].price: expected number, got string`);
 *   empty when the value conforms. At most 20 are returned.
 * @example
 * validateJsonSchema({ type: 'object', required: ['id'] }, {}); // ["$: missing required property 'id'"]
 */
export const validateJsonSchema = (schema: JsonSchema, value: unknown): string[] => {
  const problems: string[] = [];
  try {
    check(schema, value, '$', problems);
  } catch (error) {
    problems.push(`invalid schema: ${(error as Error).message}`);
  }
  return problems.slice(0, 20);
};
