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
): EmfDocument[] => {
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
  const now = (options.now ?? Date.now)();
  const timestamp = Math.round(record.timestamp ?? now);
  if (!Number.isFinite(timestamp)) throw new EmfValueError(`timestamp ${record.timestamp} is not a time`);
  if (timestamp < now - EMF_LIMITS.maxTimestampAgeMs || timestamp > now + EMF_LIMITS.maxTimestampLeadMs) {
    throw new EmfValueError(
      `timestamp ${new Date(timestamp).toISOString()} is more than 14 days before or 2 hours after now: CloudWatch drops it`,
    );
  }
  return splitIntoDocuments(metrics).map((part) => {
    const document = {
      _aws: {
        Timestamp: timestamp,
        CloudWatchMetrics: [
          {
            Namespace: options.namespace,
            Dimensions: dimensions.keys,
            Metrics: part.map((metric) => ({ Name: metric.name, Unit: metric.unit })),
          },
        ],
      },
      ...dimensions.values,
      ...metadata,
    };
    const values = part.map((metric) => [
      metric.name,
      metric.values.length === 1 ? metric.values[0] : metric.values,
    ]);
    // fromEntries defines own members, so no name (not even `__proto__`) is lost to a setter.
    return { ...document, ...Object.fromEntries(values) } as unknown as EmfDocument;
  });
};

/**
 * Serializes a document as one log line, refusing one larger than a CloudWatch Logs event.
 *
 * @throws {EmfSizeError}
 */
export const serializeEmfDocument = (document: EmfDocument): string => {
  const line = JSON.stringify(document);
  const bytes = Buffer.byteLength(line, 'utf8');
  if (bytes > EMF_LIMITS.maxDocumentBytes) {
    throw new EmfSizeError(
      `an EMF document of ${bytes} bytes is larger than a CloudWatch Logs event (${EMF_LIMITS.maxDocumentBytes})`,
    );
  }
  return line;
};

/**
 * The one EMF writer of every Vigil area (KPI runner, synthetics runner, escalation): each record becomes
 * documents that CloudWatch accepts whole, or an error before anything is written.
 *
 * @example
 * const writer = createEmfWriter({ namespace: 'Vigil', defaultDimensions: { service: 'shop-runner' }, sink: console.log });
 * writer.publish({ dimensionSets: [{ Check: 'login' }], metrics: [{ name: 'CheckSuccess', unit: 'Count', value: 1 }] });
 */
export const createEmfWriter = (options: EmfWriterOptions): EmfWriter => {
  const serialize = (record: EmfRecord): string[] =>
    toEmfDocuments(record, options).map(serializeEmfDocument);
  const write = (lines: readonly string[]): void => {
    for (const line of lines) options.sink(line);
  };
  return { serialize, write, publish: (record) => write(serialize(record)) };
};

/** The Lambda sink: one document per stdout line, unwrapped, which CloudWatch Logs extracts EMF from. */
export const stdoutSink = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
