/** A problem zod found while parsing, as much of it as {@link parsedParts} needs. */
export interface ParseIssue {
  readonly path?: readonly PropertyKey[];
  readonly code?: string;
}

/**
 * The parts of a config that parsed, so the semantic checks (references, templates, inheritance) run even
 * when other values of the same config do not parse, and every problem is reported in one pass.
 */
export interface ParsedParts<T> {
  /** True when nothing failed to parse: {@link ParsedParts.value} is the config itself. */
  readonly clean: boolean;
  /**
   * The config with each value that failed to parse left out: a list element is dropped, an object property
   * is kept as `undefined` (so its name still counts for references). Shapes around them are kept.
   */
  readonly value: T;
  /** Where a path of {@link ParsedParts.value} is in the input (list indices shift where elements were dropped). */
  inputPath(path: readonly PropertyKey[]): PropertyKey[];
  /** True when the value at `path` of the input, or a value holding it, failed to parse. */
  failedAt(path: readonly PropertyKey[]): boolean;
}

// Problems that leave a value of the right type (a list too short, a number too big): it is kept.
const VALUE_KEPT = new Set(['unrecognized_keys', 'too_small', 'too_big', 'not_multiple_of']);

const keyOf = (path: readonly PropertyKey[]): string => JSON.stringify(path.map(String));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Splits a partly parsed config (zod's value after issues: failed values hold raw input) into the parts that
 * parsed. Semantic checks run on {@link ParsedParts.value} and report through {@link ParsedParts.inputPath}.
 *
 * @example
 * configSchema.superRefine((parsed, ctx) => {
 *   const parts = parsedParts(parsed, ctx.issues);
 *   checkReferences(parts.value, (path, message) => ctx.addIssue({ code: 'custom', path: parts.inputPath(path), message }));
 * }, { when: () => true });
 */
export const parsedParts = <T>(value: T, issues: readonly ParseIssue[]): ParsedParts<T> => {
  const failed = issues
    .filter((issue) => issue.code === undefined || !VALUE_KEPT.has(issue.code))
    .map((issue) => issue.path ?? []);
  if (failed.length === 0) {
    return { clean: issues.length === 0, value, inputPath: (path) => [...path], failedAt: () => false };
  }
  const dropped = new Set(failed.filter((path) => path.length > 0).map(keyOf));
  // For each list that lost elements (by its path in the input), the input index of each kept element.
  const keptIndices = new Map<string, number[]>();
  const prune = (node: unknown, path: PropertyKey[]): unknown => {
    if (Array.isArray(node)) {
      const kept = node.flatMap((_, index) => (dropped.has(keyOf([...path, index])) ? [] : [index]));
      if (kept.length !== node.length) keptIndices.set(keyOf(path), kept);
      return kept.map((index) => prune(node[index], [...path, index]));
    }
    if (!isRecord(node)) return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, child]) => [
        key,
        dropped.has(keyOf([...path, key])) ? undefined : prune(child, [...path, key]),
      ]),
    );
  };
  const whole = failed.some((path) => path.length === 0);
  return {
    clean: false,
    value: (whole ? undefined : prune(value, [])) as T,
    inputPath: (path) => {
      const input: PropertyKey[] = [];
      for (const segment of path) {
        const kept = typeof segment === 'number' ? keptIndices.get(keyOf(input)) : undefined;
        input.push(kept?.[segment as number] ?? segment);
      }
      return input;
    },
    failedAt: (path) =>
      failed.some((bad) => bad.length <= path.length && bad.every((key, i) => key === path[i])),
  };
};
