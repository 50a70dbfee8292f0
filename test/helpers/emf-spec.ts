/**
 * An independent validator of CloudWatch embedded metric format (EMF) documents, written from the EMF
 * specification and the CloudWatch API reference rather than from Vigil's writer, so that a writer bug
 * shows up as a failed test:
 * - the log event is one JSON object, at most 256 KB; `_aws` holds `Timestamp` (epoch ms, within 14 days
 *   back and 2 hours ahead) and a non-empty `CloudWatchMetrics` array of MetricDirectives;
 * - a directive has a `Namespace` (1-255 of `A-Za-z0-9 . _ # : / -`, not `AWS/`), `Dimensions` (an array of
 *   dimension sets, each 1-30 keys) and `Metrics` (1-100 definitions with a `Name` and an optional valid
 *   `Unit`, names unique);
 * - every dimension key is a root member holding a string CloudWatch takes (printable ASCII, not blank,
 *   at most 1,024 characters); dimension names are printable ASCII, at most 255, not starting with `:`;
 * - every metric name is a root member holding a number or an array of 1-100 numbers, each finite and 0
 *   or between 2^-360 and 2^360 in magnitude; no metric is also a dimension, none is named `_aws`.
 */

/** One datapoint as CloudWatch extracts it from a document: one per value, per dimension set. */
export interface EmfDatapoint {
  readonly namespace: string;
  readonly metric: string;
  readonly unit: string | undefined;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestamp: number;
}

const UNITS = new Set([
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
]);
const ASCII = /^[\x20-\x7e]+$/;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nameProblems = (what: string, name: unknown): string[] => {
  if (typeof name !== 'string') return [`${what} is not a string`];
  const problems: string[] = [];
  if (name.length < 1 || name.length > 255) problems.push(`${what} '${name}' is not 1-255 characters`);
  if (!ASCII.test(name) || name.trim() === '') problems.push(`${what} '${name}' is not printable ASCII`);
  if (name.startsWith(':')) problems.push(`${what} '${name}' starts with ':'`);
  return problems;
};

const valueProblems = (what: string, value: unknown): string[] => {
  if (typeof value !== 'number') return [`${what} is ${JSON.stringify(value)}, not a number`];
  if (!Number.isFinite(value)) return [`${what} is not finite`];
  const magnitude = Math.abs(value);
  if (magnitude > 2 ** 360 || (magnitude !== 0 && magnitude < 2 ** -360))
    return [`${what} ${value} is outside ±2^360 / 2^-360`];
  return [];
};

/**
 * Every way a log line breaks the EMF specification or would be dropped by CloudWatch, or `[]` when it
 * is a valid document.
 */
export const emfProblems = (line: string, now: number = Date.now()): string[] => {
  const problems: string[] = [];
  if (Buffer.byteLength(line, 'utf8') > 256 * 1024) problems.push('the document is over 256 KB');
  let root: unknown;
  try {
    root = JSON.parse(line);
  } catch {
    return ['the line is not one JSON value'];
  }
  if (!isObject(root)) return ['the root is not a JSON object'];
  const aws = root._aws;
  if (!isObject(aws)) return ['_aws is missing or not an object'];
  const timestamp = aws.Timestamp;
  if (typeof timestamp !== 'number' || !Number.isInteger(timestamp)) {
    problems.push('_aws.Timestamp is not an integer number of milliseconds');
  } else if (timestamp < now - 14 * 86_400_000 || timestamp > now + 2 * 3_600_000) {
    problems.push('_aws.Timestamp is more than 14 days back or 2 hours ahead');
  }
  const directives = aws.CloudWatchMetrics;
  if (!Array.isArray(directives) || directives.length === 0) {
    return [...problems, '_aws.CloudWatchMetrics is not a non-empty array'];
  }
  directives.forEach((directive: unknown, d) => {
    const at = `CloudWatchMetrics[${d}]`;
    if (!isObject(directive)) {
      problems.push(`${at} is not an object`);
      return;
    }
    const namespace = directive.Namespace;
    if (
      typeof namespace !== 'string' ||
      !/^[A-Za-z0-9._#:/-]{1,255}$/.test(namespace) ||
      namespace.startsWith('AWS/')
    ) {
      problems.push(`${at}.Namespace ${JSON.stringify(namespace)} is not a valid namespace`);
    }
    const sets = directive.Dimensions;
    const keys = new Set<string>();
    if (!Array.isArray(sets) || sets.length === 0) problems.push(`${at}.Dimensions is not a non-empty array`);
    else {
      sets.forEach((set: unknown, s) => {
        if (!Array.isArray(set) || set.length === 0 || set.length > 30) {
          problems.push(`${at}.Dimensions[${s}] is not an array of 1-30 keys`);
          return;
        }
        for (const key of set as unknown[]) {
          problems.push(...nameProblems(`dimension name`, key));
          if (typeof key !== 'string') continue;
          keys.add(key);
          const value = root[key];
          if (typeof value !== 'string') problems.push(`dimension ${key} has no string member`);
          else if (!ASCII.test(value) || value.trim() === '' || value.length > 1024) {
            problems.push(`dimension ${key} value ${JSON.stringify(value)} is not 1-1024 printable ASCII`);
          }
        }
      });
    }
    const metrics = directive.Metrics;
    if (!Array.isArray(metrics) || metrics.length === 0 || metrics.length > 100) {
      problems.push(`${at}.Metrics is not an array of 1-100 definitions`);
      return;
    }
    const names = new Set<string>();
    for (const definition of metrics as unknown[]) {
      if (!isObject(definition)) {
        problems.push(`${at}.Metrics has a definition that is not an object`);
        continue;
      }
      const name = definition.Name;
      problems.push(...nameProblems('metric name', name));
      if (typeof name !== 'string') continue;
      if (name === '_aws') problems.push("a metric is named '_aws'");
      if (names.has(name)) problems.push(`metric ${name} is defined twice`);
      names.add(name);
      if (keys.has(name)) problems.push(`metric ${name} is also a dimension`);
      if (definition.Unit !== undefined && !UNITS.has(definition.Unit as string)) {
        problems.push(`metric ${name} unit ${JSON.stringify(definition.Unit)} is not a CloudWatch unit`);
      }
      if (
        definition.StorageResolution !== undefined &&
        ![1, 60].includes(definition.StorageResolution as number)
      ) {
        problems.push(`metric ${name} StorageResolution is not 1 or 60`);
      }
      const target = root[name];
      if (Array.isArray(target)) {
        if (target.length === 0 || target.length > 100)
          problems.push(`metric ${name} has ${target.length} values, not 1-100`);
        for (const [index, value] of target.entries()) {
          problems.push(...valueProblems(`metric ${name}[${index}]`, value));
        }
      } else problems.push(...valueProblems(`metric ${name}`, target));
    }
  });
  return problems;
};

/** The lines of captured stdout that are EMF documents (JSON objects with `_aws`). */
export const emfLines = (output: string): string[] =>
  output.split('\n').filter((line) => line.startsWith('{') && line.includes('"_aws"'));

/**
 * Throws listing every problem of every line (with the line's number), so one assertion validates all
 * documents a handler printed.
 */
export const expectValidEmf = (lines: readonly string[], now: number = Date.now()): void => {
  const problems = lines.flatMap((line, index) =>
    emfProblems(line, now).map((problem) => `line ${index + 1}: ${problem}`),
  );
  if (problems.length > 0) throw new Error(`invalid EMF:\n${problems.join('\n')}`);
};

/** The datapoints CloudWatch extracts from valid documents: each value once per dimension set. */
export const emfDatapoints = (lines: readonly string[]): EmfDatapoint[] =>
  lines.flatMap((line) => {
    const root = JSON.parse(line) as Record<string, unknown> & {
      _aws: {
        Timestamp: number;
        CloudWatchMetrics: {
          Namespace: string;
          Dimensions: string[][];
          Metrics: { Name: string; Unit?: string }[];
        }[];
      };
    };
    return root._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Dimensions.flatMap((set) =>
        directive.Metrics.flatMap((metric) => {
          const target = root[metric.Name] as number | number[];
          return (Array.isArray(target) ? target : [target]).map((value) => ({
            namespace: directive.Namespace,
            metric: metric.Name,
            unit: metric.Unit,
            dimensions: Object.fromEntries(set.map((key) => [key, root[key] as string])),
            value,
            timestamp: root._aws.Timestamp,
          }));
        }),
      ),
    );
  });
