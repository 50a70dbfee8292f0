import {
  dimensionNameProblem,
  dimensionValueProblem,
  EMF_LIMITS,
  EMF_RESERVED_KEY,
  METRIC_UNITS,
  metricNameProblem,
  metricValueProblem,
  namespaceProblem,
} from './emf-rules';
import { EmfDimensionError, EmfNameError, EmfSizeError, EmfValueError } from './errors';

/** One datapoint of a record. A name may repeat: its values are published together. */
export interface EmfMetric {
  readonly name: string;
  /** A CloudWatch unit ({@link METRIC_UNITS}). */
  readonly unit: string;
  readonly value: number;
}

/**
 * What to publish: every metric on every dimension set. Dimension sets must agree on the keys they share
 * (one value per key). A record may hold any number of metrics and values: the writer splits it into as
 * many EMF documents as the limits need, each carrying all dimension sets.
 */
export interface EmfRecord {
  /** At least one non-empty set; the writer's default dimensions are added to each. */
  readonly dimensionSets: readonly Readonly<Record<string, string>>[];
  readonly metrics: readonly EmfMetric[];
  /** Extra members stored in the log (queryable in Logs Insights), not billed as metrics. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Epoch milliseconds of the datapoints. @default now */
  readonly timestamp?: number;
}

/** One EMF document, ready to be serialized as one log line. */
export interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
    }[];
  };
  readonly [member: string]: unknown;
}

/** Where and how documents are built. */
export interface EmfWriterOptions {
  /** CloudWatch namespace of every metric. */
  readonly namespace: string;
  /** Added to every dimension set, first (e.g. `{ service }`). @default none */
  readonly defaultDimensions?: Readonly<Record<string, string>>;
  /** Receives one serialized document at a time (a Lambda writes it to stdout as one line). */
  readonly sink: (line: string) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Builds, checks and writes EMF documents. */
export interface EmfWriter {
  /**
   * The record as serialized documents, without writing them: lets a caller check a whole batch before
   * publishing any of it.
   *
   * @throws {EmfNameError | EmfValueError | EmfDimensionError | EmfSizeError} naming what is wrong
   */
  serialize(record: EmfRecord): string[];
  /** Writes lines made by {@link EmfWriter.serialize}. */
  write(lines: readonly string[]): void;
  /** `write(serialize(record))`: all of the record or, when it has a problem, none of it. */
  publish(record: EmfRecord): void;
}

const UNITS: ReadonlySet<string> = new Set(METRIC_UNITS);
const shown = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text);

/** Checks and merges the dimension sets: every set's keys and values, one value per key. */
const dimensionsOf = (
  sets: readonly Readonly<Record<string, string>>[],
): { keys: string[][]; values: Record<string, string> } => {
  if (sets.length === 0) throw new EmfDimensionError('a record needs at least one dimension set');
  const values: Record<string, string> = {};
  const keys = sets.map((set, index) => {
    const names = Object.keys(set);
    if (names.length === 0) throw new EmfDimensionError(`dimension set ${index + 1} is empty`);
    if (names.length > EMF_LIMITS.maxDimensionsPerSet) {
      throw new EmfDimensionError(
        `dimension set ${index + 1} has ${names.length} dimensions, more than EMF's ${EMF_LIMITS.maxDimensionsPerSet}`,
      );
    }
    for (const name of names) {
      const nameIssue = dimensionNameProblem(name);
      if (nameIssue) throw new EmfNameError(`dimension name ${shown(name)} ${nameIssue}`);
      const value = set[name] as string;
      const valueIssue = dimensionValueProblem(value);
      if (valueIssue)
        throw new EmfDimensionError(`dimension ${name} value ${shown(String(value))} ${valueIssue}`);
      if (Object.hasOwn(values, name) && values[name] !== value) {
        throw new EmfDimensionError(
          `dimension ${name} has two values in one record (${shown(values[name]!)} and ${shown(value)})`,
        );
      }
      // defineProperty, not assignment: a dimension named `__proto__` must stay an own member.
      Object.defineProperty(values, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return names;
  });
  return { keys, values };
};

/** Groups values by metric name (first-seen order), checking names, units and values. */
const metricsOf = (metrics: readonly EmfMetric[]): { name: string; unit: string; values: number[] }[] => {
  const byName = new Map<string, { name: string; unit: string; values: number[] }>();
  for (const metric of metrics) {
    const nameIssue = metricNameProblem(metric.name);
    if (nameIssue) throw new EmfNameError(`metric name ${shown(metric.name)} ${nameIssue}`);
    if (!UNITS.has(metric.unit)) {
      throw new EmfValueError(
        `metric ${metric.name} has unit ${shown(String(metric.unit))}, not a CloudWatch unit`,
      );
    }
    const valueIssue = metricValueProblem(metric.value);
    if (valueIssue) throw new EmfValueError(`metric ${metric.name} value ${metric.value} ${valueIssue}`);
    const entry = byName.get(metric.name);
    if (!entry) byName.set(metric.name, { name: metric.name, unit: metric.unit, values: [metric.value] });
    else if (entry.unit !== metric.unit) {
      throw new EmfValueError(
        `metric ${metric.name} has two units in one record (${entry.unit} and ${metric.unit})`,
      );
    } else entry.values.push(metric.value);
  }
  return [...byName.values()];
};

/**
 * Splits metrics into documents of at most 100 distinct metrics, each with at most 100 values, in order:
 * values past the 100th of a metric go to the next document that does not carry that metric yet.
 */
const splitIntoDocuments = (
  metrics: readonly { name: string; unit: string; values: number[] }[],
): { name: string; unit: string; values: number[] }[][] => {
  const documents: { name: string; unit: string; values: number[] }[][] = [];
  for (const metric of metrics) {
    for (let start = 0; start < metric.values.length; start += EMF_LIMITS.maxValuesPerMetric) {
      const piece = { ...metric, values: metric.values.slice(start, start + EMF_LIMITS.maxValuesPerMetric) };
      const target = documents.find(
        (document) =>
          document.length < EMF_LIMITS.maxMetricsPerDocument && !document.some((m) => m.name === metric.name),
      );
      if (target) target.push(piece);
      else documents.push([piece]);
    }
  }
  return documents;
};

/** A record checked whole: its merged dimensions, its metrics grouped by name, its metadata and time. */
interface CheckedRecord {
  readonly dimensions: { keys: string[][]; values: Record<string, string> };
  readonly metrics: { name: string; unit: string; values: number[] }[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly timestamp: number;
}

/** The record's epoch-milliseconds timestamp, refused when CloudWatch would drop it. */
const timestampOf = (record: EmfRecord, now: number): number => {
  const timestamp = Math.round(record.timestamp ?? now);
  if (!Number.isFinite(timestamp)) throw new EmfValueError(`timestamp ${record.timestamp} is not a time`);
  if (timestamp < now - EMF_LIMITS.maxTimestampAgeMs || timestamp > now + EMF_LIMITS.maxTimestampLeadMs) {
    throw new EmfValueError(
      `timestamp ${new Date(timestamp).toISOString()} is more than 14 days before or 2 hours after now: CloudWatch drops it`,
    );
  }
  return timestamp;
};

/** Checks everything CloudWatch and EMF require of a record, in the order the errors are reported. */
const checkRecord = (
  record: EmfRecord,
  options: Pick<EmfWriterOptions, 'namespace' | 'defaultDimensions' | 'now'>,
): CheckedRecord => {
  const namespaceIssue = namespaceProblem(options.namespace);
  if (namespaceIssue) throw new EmfNameError(`namespace ${shown(options.namespace)} ${namespaceIssue}`);
  const defaults = options.defaultDimensions ?? {};
  const dimensions = dimensionsOf(record.dimensionSets.map((set) => ({ ...defaults, ...set })));
  const metrics = metricsOf(record.metrics);
  if (metrics.length === 0) throw new EmfValueError('a record needs at least one metric');
  const metadata = record.metadata ?? {};
  for (const metric of metrics) {
    if (Object.hasOwn(dimensions.values, metric.name)) {
      throw new EmfNameError(`metric ${metric.name} has the name of a dimension of the same record`);
    }
  }
  for (const key of Object.keys(metadata)) {
    if (key === EMF_RESERVED_KEY)
      throw new EmfNameError(`metadata key '${EMF_RESERVED_KEY}' is reserved by EMF`);
    if (Object.hasOwn(dimensions.values, key) || metrics.some((metric) => metric.name === key)) {
      throw new EmfNameError(`metadata key ${key} has the name of a dimension or metric of the same record`);
    }
  }
  const timestamp = timestampOf(record, (options.now ?? Date.now)());
  return { dimensions, metrics, metadata, timestamp };
};

const documentsOf = (checked: CheckedRecord, namespace: string): EmfDocument[] =>
  splitIntoDocuments(checked.metrics).map((part) => {
    const document = {
      _aws: {
        Timestamp: checked.timestamp,
        CloudWatchMetrics: [
          {
            Namespace: namespace,
            Dimensions: checked.dimensions.keys,
            Metrics: part.map((metric) => ({ Name: metric.name, Unit: metric.unit })),
          },
        ],
      },
      ...checked.dimensions.values,
      ...checked.metadata,
    };
    const values = part.map((metric) => [
      metric.name,
      metric.values.length === 1 ? metric.values[0] : metric.values,
    ]);
    // fromEntries defines own members, so no name (not even `__proto__`) is lost to a setter.
    return { ...document, ...Object.fromEntries(values) } as unknown as EmfDocument;
  });

/**
 * Turns a record into EMF documents that CloudWatch accepts whole, or throws naming the problem: names and
 * values are checked against CloudWatch's rules (never normalised here: callers normalise visibly, e.g.
 * {@link normalizeDimensionValue}), keys may not collide (`_aws`, a metric named like a dimension), and a
 * record larger than one document is split so that every document carries every dimension set.
 *
 * @example
 * toEmfDocuments({ dimensionSets: [{ App: 'shop', Kpi: 'revenue' }], metrics: [{ name: 'revenue', unit: 'None', value: 42 }] }, { namespace: 'Vigil' });
 */
export const toEmfDocuments = (
  record: EmfRecord,
  options: Pick<EmfWriterOptions, 'namespace' | 'defaultDimensions' | 'now'>,
): EmfDocument[] => documentsOf(checkRecord(record, options), options.namespace);

/** Refuses a line larger than a CloudWatch Logs event. */
const withinEventSize = (line: string): string => {
  // A UTF-16 unit is at most 3 UTF-8 bytes: a line that short cannot be too large, and is not measured.
  if (line.length * 3 <= EMF_LIMITS.maxDocumentBytes) return line;
  const bytes = Buffer.byteLength(line, 'utf8');
  if (bytes > EMF_LIMITS.maxDocumentBytes) {
    throw new EmfSizeError(
      `an EMF document of ${bytes} bytes is larger than a CloudWatch Logs event (${EMF_LIMITS.maxDocumentBytes})`,
    );
  }
  return line;
};

/**
 * Serializes a document as one log line, refusing one larger than a CloudWatch Logs event.
 *
 * @throws {EmfSizeError}
 */
export const serializeEmfDocument = (document: EmfDocument): string =>
  withinEventSize(JSON.stringify(document));

/**
 * What cannot change between records of one shape (the same dimension sets with the same values, the same
 * metric names and units, in the same order), checked once and serialized once: the writer then checks
 * and serializes only what can (metric values, metadata, the timestamp).
 */
interface RecordShape {
  /** `,"CloudWatchMetrics":[…]}` and the dimension members: what follows the timestamp. */
  readonly afterTimestamp: string;
  /** Per metric, in the document's order: its member (`,"name":`) and where its values are in `metrics`. */
  readonly metrics: readonly { readonly member: string; readonly at: readonly number[] }[];
  /** The dimension and metric names, which no metadata key may take. */
  readonly names: ReadonlySet<string>;
}

/** Shapes remembered per writer; past it the cache starts over (a runner's checks are far fewer). */
const MAX_SHAPES = 4_096;
/** A member JSON would move to the front of its object: records with one take the general path. */
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * A key naming a record's shape unambiguously (every name, value and unit length-prefixed), or `undefined`
 * when a part is not what the types say: such a record takes the general path, which says what is wrong.
 */
const shapeKey = (record: EmfRecord): string | undefined => {
  if (!Array.isArray(record.dimensionSets) || !Array.isArray(record.metrics)) return undefined;
  let key = '';
  for (const set of record.dimensionSets as unknown[]) {
    if (set === null || typeof set !== 'object') return undefined;
    key += '{';
    for (const name of Object.keys(set)) {
      const value: unknown = (set as Record<string, unknown>)[name];
      if (typeof value !== 'string') return undefined;
      key += `${name.length}:${name}${value.length}:${value}`;
    }
    key += '}';
  }
  key += '|';
  for (const metric of record.metrics as unknown[]) {
    if (metric === null || typeof metric !== 'object') return undefined;
    const { name, unit } = metric as { name: unknown; unit: unknown };
    if (typeof name !== 'string' || typeof unit !== 'string') return undefined;
    key += `${name.length}:${name}${unit.length}:${unit}`;
  }
  return key;
};

/** The shape of a record that made exactly one document, or `undefined` when it must not be cached. */
const shapeOf = (record: EmfRecord, checked: CheckedRecord, namespace: string): RecordShape | undefined => {
  const dimensionNames = Object.keys(checked.dimensions.values);
  const metricNames = checked.metrics.map((metric) => metric.name);
  if ([...dimensionNames, ...metricNames].some((name) => ARRAY_INDEX.test(name))) return undefined;
  const directive = checked.metrics.map((metric) => ({ Name: metric.name, Unit: metric.unit }));
  const cloudWatchMetrics = JSON.stringify([
    { Namespace: namespace, Dimensions: checked.dimensions.keys, Metrics: directive },
  ]);
  const dimensionMembers = dimensionNames
    .map((name) => `,${JSON.stringify(name)}:${JSON.stringify(checked.dimensions.values[name])}`)
    .join('');
  return {
    afterTimestamp: `,"CloudWatchMetrics":${cloudWatchMetrics}}${dimensionMembers}`,
    metrics: metricNames.map((name) => ({
      member: `,${JSON.stringify(name)}:`,
      at: record.metrics.flatMap((metric, index) => (metric.name === name ? [index] : [])),
    })),
    names: new Set([...dimensionNames, ...metricNames]),
  };
};

/**
 * The record's one line through its cached shape, with the same checks and errors as the general path,
 * or `undefined` when its metadata needs that path (a member JSON would reorder, a `toJSON`).
 */
const lineOf = (record: EmfRecord, shape: RecordShape, now: number): string | undefined => {
  for (const metric of record.metrics) {
    const valueIssue = metricValueProblem(metric.value);
    if (valueIssue) throw new EmfValueError(`metric ${metric.name} value ${metric.value} ${valueIssue}`);
  }
  const metadata = record.metadata ?? undefined;
  let metadataMembers = '';
  if (metadata !== undefined) {
    const prototype: unknown = Object.getPrototypeOf(metadata);
    if (prototype !== Object.prototype && prototype !== null) return undefined;
    for (const key of Object.keys(metadata)) {
      if (key === EMF_RESERVED_KEY)
        throw new EmfNameError(`metadata key '${EMF_RESERVED_KEY}' is reserved by EMF`);
      if (shape.names.has(key)) {
        throw new EmfNameError(
          `metadata key ${key} has the name of a dimension or metric of the same record`,
        );
      }
      if (key === 'toJSON' || ARRAY_INDEX.test(key)) return undefined;
    }
    const json = JSON.stringify(metadata);
    if (json.length > 2) metadataMembers = `,${json.slice(1, -1)}`;
  }
  const timestamp = timestampOf(record, now);
  let values = '';
  for (const metric of shape.metrics) {
    if (metric.at.length === 1) values += `${metric.member}${record.metrics[metric.at[0] as number]?.value}`;
    else values += `${metric.member}[${metric.at.map((index) => record.metrics[index]?.value).join(',')}]`;
  }
  return withinEventSize(
    `{"_aws":{"Timestamp":${timestamp}${shape.afterTimestamp}${metadataMembers}${values}}`,
  );
};

/**
 * The one EMF writer of every Vigil area (KPI runner, synthetics runner, escalation): each record becomes
 * documents that CloudWatch accepts whole, or an error before anything is written. What cannot change
 * between records of one shape (namespace, dimensions, metric names and units) is checked and serialized
 * once per shape; the lines are the same as {@link toEmfDocuments} and {@link serializeEmfDocument} make.
 *
 * @example
 * const writer = createEmfWriter({ namespace: 'Vigil', defaultDimensions: { service: 'shop-runner' }, sink: console.log });
 * writer.publish({ dimensionSets: [{ Check: 'login' }], metrics: [{ name: 'CheckDuration', unit: 'Milliseconds', value: 212 }] });
 */
export const createEmfWriter = (options: EmfWriterOptions): EmfWriter => {
  // A shape is learned the second time it is seen (`null` the first): records whose dimension values
  // never repeat (a KPI row per city, say) pay for the key only, not for serializing a shape never reused.
  const shapes = new Map<string, RecordShape | null>();
  const serialize = (record: EmfRecord): string[] => {
    const key = shapeKey(record);
    const shape = key === undefined ? undefined : shapes.get(key);
    if (shape) {
      const line = lineOf(record, shape, (options.now ?? Date.now)());
      if (line !== undefined) return [line];
    }
    const checked = checkRecord(record, options);
    const documents = documentsOf(checked, options.namespace);
    const lines = documents.map(serializeEmfDocument);
    if (key !== undefined && !shape && documents.length === 1) {
      const learned = shape === null ? shapeOf(record, checked, options.namespace) : null;
      if (shape === undefined && shapes.size >= MAX_SHAPES) shapes.clear();
      if (learned !== undefined) shapes.set(key, learned);
    }
    return lines;
  };
  const write = (lines: readonly string[]): void => {
    for (const line of lines) options.sink(line);
  };
  return { serialize, write, publish: (record) => write(serialize(record)) };
};

/** The Lambda sink: one document per stdout line, unwrapped, which CloudWatch Logs extracts EMF from. */
export const stdoutSink = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
