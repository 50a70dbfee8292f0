import { JsonPathSyntaxError } from './errors';

/** One step of a parsed JSON path: a property name, an array index (negative counts from the end) or `*`. */
export type JsonPathSegment =
  | { readonly kind: 'property'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' };

/** What a JSON path found: `found` is false when any segment was missing. */
export interface JsonPathMatch {
  readonly found: boolean;
  /** The value, or the array of values when the path has a wildcard. */
  readonly value: unknown;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*/;
const cache = new Map<string, readonly JsonPathSegment[]>();

/**
 * Parses the small JSON path subset the engine supports: `$`, `.name`, `['name']` / `["name"]`,
 * `[0]`, `[-1]`, `[*]` / `.*`. `length` on an array or string (without such a property) is its length.
 *
 * @throws {JsonPathSyntaxError} naming the position of the problem
 * @example
 * parseJsonPath("$.flights[0]['id']"); // property flights, index 0, property id
 */
export const parseJsonPath = (path: string): readonly JsonPathSegment[] => {
  const cached = cache.get(path);
  if (cached) return cached;
  if (!path.startsWith('$')) throw new JsonPathSyntaxError(`JSON path '${path}' must start with '$'`);
  const segments: JsonPathSegment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const at = path.length - rest.length;
    if (rest.startsWith('.*')) {
      segments.push({ kind: 'wildcard' });
      rest = rest.slice(2);
    } else if (rest.startsWith('.')) {
      const name = IDENTIFIER.exec(rest.slice(1))?.[0];
      if (name === undefined)
        throw new JsonPathSyntaxError(`JSON path '${path}': expected a name at ${at + 1}`);
      segments.push({ kind: 'property', name });
      rest = rest.slice(1 + name.length);
    } else if (rest.startsWith('[')) {
      const close = /^\[\s*(\*|-?\d+|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*\]/.exec(rest);
      if (!close) throw new JsonPathSyntaxError(`JSON path '${path}': bad bracket at ${at}`);
      const inner = close[1] ?? '';
      if (inner === '*') segments.push({ kind: 'wildcard' });
      else if (/^-?\d+$/.test(inner)) segments.push({ kind: 'index', index: Number(inner) });
      else segments.push({ kind: 'property', name: inner.slice(1, -1).replace(/\\(.)/g, '$1') });
      rest = rest.slice(close[0].length);
    } else {
      throw new JsonPathSyntaxError(`JSON path '${path}': unexpected '${rest[0]}' at ${at}`);
    }
  }
  if (cache.size > 1_000) cache.clear();
  cache.set(path, segments);
  return segments;
};

const step = (value: unknown, segment: JsonPathSegment): unknown[] => {
  if (segment.kind === 'wildcard') {
    if (Array.isArray(value)) return value;
    return value !== null && typeof value === 'object' ? Object.values(value) : [];
  }
  if (segment.kind === 'index') {
    if (!Array.isArray(value)) return [];
    const index = segment.index < 0 ? value.length + segment.index : segment.index;
    return index >= 0 && index < value.length ? [value[index]] : [];
  }
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, segment.name)) {
    return [(value as Record<string, unknown>)[segment.name]];
  }
  if (segment.name === 'length' && (Array.isArray(value) || typeof value === 'string')) return [value.length];
  return [];
};

/**
 * Evaluates a JSON path against a parsed document.
 *
 * @throws {JsonPathSyntaxError} when the path cannot be parsed
 * @example
 * evaluateJsonPath({ items: [1, 2] }, '$.items.length'); // { found: true, value: 2 }
 */
export const evaluateJsonPath = (document: unknown, path: string): JsonPathMatch => {
  const segments = parseJsonPath(path);
  let current: unknown[] = [document];
  let wildcard = false;
  for (const segment of segments) {
    if (segment.kind === 'wildcard') wildcard = true;
    current = current.flatMap((value) => step(value, segment));
    if (current.length === 0)
      return wildcard ? { found: true, value: [] } : { found: false, value: undefined };
  }
  return wildcard ? { found: true, value: current } : { found: true, value: current[0] };
};
