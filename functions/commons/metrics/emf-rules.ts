import { createHash } from 'node:crypto';

/**
 * What CloudWatch and the embedded metric format (EMF) accept, in one place: the EMF writer enforces it at
 * publish time and the config schemas at validation time, so what `vigil kpi` reports is what CloudWatch
 * stores. Sources: the EMF specification (`CloudWatch_Embedded_Metric_Format_Specification`), the
 * CloudWatch API reference (`Dimension`, `MetricDatum`) and CloudWatch concepts (namespaces).
 */
export const EMF_LIMITS = {
  /** Metric definitions in one EMF document (MetricDirective `Metrics`). */
  maxMetricsPerDocument: 100,
  /** Values in one metric's array. */
  maxValuesPerMetric: 100,
  /** Dimension keys in one dimension set. */
  maxDimensionsPerSet: 30,
  /** Metric and dimension names, and namespaces. */
  maxNameLength: 255,
  /** Dimension values. */
  maxDimensionValueLength: 1024,
  /** Largest magnitude CloudWatch stores: 2^360. */
  maxMagnitude: 2 ** 360,
  /** Smallest non-zero magnitude CloudWatch stores: 2^-360. */
  minMagnitude: 2 ** -360,
  /** One CloudWatch Logs event (the whole EMF document, as JSON). */
  maxDocumentBytes: 256 * 1024,
  /** A timestamp CloudWatch still accepts: at most 14 days old... */
  maxTimestampAgeMs: 14 * 86_400_000,
  /** ...and at most 2 hours ahead. */
  maxTimestampLeadMs: 2 * 3_600_000,
} as const;

/** The member EMF reserves for its own metadata: no metric, dimension or metadata key may use it. */
export const EMF_RESERVED_KEY = '_aws';

/** CloudWatch metric units. */
export const METRIC_UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
] as const;

/** A CloudWatch metric unit. */
export type MetricUnit = (typeof METRIC_UNITS)[number];

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const NAMESPACE = /^[A-Za-z0-9._#:/-]+$/;

/** Why a string is not a CloudWatch name (ASCII, no control characters, ≤ 255, not blank), or `undefined`. */
const nameProblem = (name: string): string | undefined => {
  if (name.length === 0 || name.trim() === '') return 'must contain a non-whitespace character';
  if (name.length > EMF_LIMITS.maxNameLength)
    return `must be at most ${EMF_LIMITS.maxNameLength} characters (has ${name.length})`;
  if (!PRINTABLE_ASCII.test(name)) return 'must be printable ASCII (no accents, emoji or control characters)';
  if (name === EMF_RESERVED_KEY)
    return 'is reserved by the embedded metric format (it holds the EMF metadata)';
  return undefined;
};

/**
 * Why `name` cannot be a CloudWatch metric name published through EMF, or `undefined` when it can.
 *
 * @example
 * metricNameProblem('_aws'); // 'is reserved by the embedded metric format (it holds the EMF metadata)'
 */
export const metricNameProblem = (name: string): string | undefined => {
  const problem = nameProblem(name);
  if (problem) return problem;
  return name.startsWith(':') ? 'cannot start with ":"' : undefined;
};

/**
 * Why `name` cannot be a CloudWatch dimension name (ASCII, no control characters, not starting with `:`,
 * ≤ 255 characters), or `undefined` when it can.
 */
export const dimensionNameProblem = (name: string): string | undefined => metricNameProblem(name);

/**
 * Why `namespace` cannot be a CloudWatch namespace (1-255 of `A-Z a-z 0-9 . - _ / # :`, not `AWS/...`),
 * or `undefined`.
 */
export const namespaceProblem = (namespace: string): string | undefined => {
  if (namespace.length === 0 || namespace.length > EMF_LIMITS.maxNameLength)
    return `must be 1-${EMF_LIMITS.maxNameLength} characters`;
  if (!NAMESPACE.test(namespace)) return 'may only contain letters, digits and ". - _ / # :"';
  if (namespace.startsWith('AWS/')) return "cannot start with 'AWS/' (reserved for AWS services)";
  return undefined;
};

/**
 * Why CloudWatch would not store `value`, or `undefined`: it must be finite and 0 or between 2^-360 and
 * 2^360 in magnitude.
 *
 * @example
 * metricValueProblem(2 ** 400); // 'is beyond ±2^360, the range CloudWatch stores'
 */
export const metricValueProblem = (value: number): string | undefined => {
  if (typeof value !== 'number' || Number.isNaN(value)) return 'is not a number';
  if (!Number.isFinite(value)) return `is ${value}: CloudWatch only stores finite numbers`;
  const magnitude = Math.abs(value);
  if (magnitude > EMF_LIMITS.maxMagnitude) return 'is beyond ±2^360, the range CloudWatch stores';
  if (magnitude !== 0 && magnitude < EMF_LIMITS.minMagnitude)
    return 'is closer to 0 than 2^-360, the smallest magnitude CloudWatch stores';
  return undefined;
};

/**
 * Why CloudWatch would drop a dimension with this value (it needs 1-1024 printable ASCII characters, not
 * all blank), or `undefined`. {@link normalizeDimensionValue} turns any text into a value that passes.
 */
export const dimensionValueProblem = (value: string): string | undefined => {
  if (typeof value !== 'string') return 'is not a string';
  if (value.trim() === '') return 'must contain a non-whitespace character';
  if (value.length > EMF_LIMITS.maxDimensionValueLength)
    return `must be at most ${EMF_LIMITS.maxDimensionValueLength} characters (has ${value.length})`;
  if (!PRINTABLE_ASCII.test(value))
    return 'must be printable ASCII (no accents, emoji or control characters)';
  return undefined;
};

/** What a SQL NULL in a dimension column publishes as: no text normalises to it (a literal `%` is `%25`). */
export const NULL_DIMENSION_VALUE = '%null';
/** What an empty text publishes as. */
export const EMPTY_DIMENSION_VALUE = '%empty';
/** Marks a value cut to the length limit; the hash of the whole text follows. */
const CUT_MARK = '%~';
const HASH_CHARS = 8;

const percentEncode = (char: string): string =>
  [...Buffer.from(char, 'utf8')]
    .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('');

/**
 * Turns any text into a dimension value CloudWatch accepts, deterministically and visibly, so that
 * distinct texts stay distinct:
 * - printable ASCII other than `%` is kept; `%`, control characters and non-ASCII characters become their
 *   UTF-8 bytes percent-encoded (`Zürich` → `Z%C3%BCrich`, a tab → `%09`);
 * - a text of only spaces has its spaces encoded (`%20`); the empty text is `%empty`;
 * - a value longer than `maxLength` is cut on a character boundary and ends with `%~` plus 8 hex
 *   characters of the SHA-256 of the whole text, so two long texts sharing a prefix stay apart.
 *
 * @example
 * normalizeDimensionValue('Zürich'); // 'Z%C3%BCrich'
 * normalizeDimensionValue('100%'); // '100%25'
 */
export const normalizeDimensionValue = (
  text: string,
  maxLength: number = EMF_LIMITS.maxDimensionValueLength,
): string => {
  if (text === '') return EMPTY_DIMENSION_VALUE;
  const pieces: string[] = [];
  for (const char of text) {
    pieces.push(char !== '%' && PRINTABLE_ASCII.test(char) ? char : percentEncode(char));
  }
  if (!pieces.some((piece) => piece !== ' ')) pieces.fill('%20');
  const whole = pieces.join('');
  if (whole.length <= maxLength) return whole;
  const hash = createHash('sha256').update(text, 'utf8').digest('hex').slice(0, HASH_CHARS);
  const room = maxLength - CUT_MARK.length - HASH_CHARS;
  let kept = '';
  for (const piece of pieces) {
    if (kept.length + piece.length > room) break;
    kept += piece;
  }
  return `${kept}${CUT_MARK}${hash}`;
};
