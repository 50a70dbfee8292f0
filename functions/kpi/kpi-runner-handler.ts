import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import type { Subsegment } from 'aws-xray-sdk-core';
// zod/mini: tree-shaken to a few KiB in the bundle (zod's classic API pulls in every locale).
import * as z from 'zod/mini';
import { createAwsSecretBackend } from '../commons/aws-secret-backend';
import { formatPath } from '../commons/config/errors';
import { instrumentHandler } from '../commons/instrument-handler';
import { createLambdaEmfWriter } from '../commons/metrics/lambda-metrics';
import { ownValue } from '../commons/own-value';
import { logger, tracer } from '../commons/powertools';
import { createDataApiDatasource } from './datasources/data-api-datasource';
import { createSecretCredentials } from './datasources/pg-credentials';
import { createPgDatasource } from './datasources/pg-datasource';
import { publishKpi } from './kpi-metric-records';
import { runKpis } from './run-kpis';
import type { KpiDatasource, KpiTracing } from './types/ports';
import { KPI_RUNNER_CONFIG_FILE, type KpiRunnerConfig, type KpiRunnerEvent } from './types/runner-config';

/** Thrown when the event names a schedule group this runner does not have. */
export class KpiRunnerEventError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'KpiRunnerEventError';
  }
}

// Read once per execution environment. VIGIL_KPI_CONFIG_FILE lets tests point at their own file.
const config = JSON.parse(
  readFileSync(process.env.VIGIL_KPI_CONFIG_FILE ?? join(__dirname, KPI_RUNNER_CONFIG_FILE), 'utf8'),
) as KpiRunnerConfig;

// KPI metrics carry exactly their own dimension sets ({App, Kpi}[, row dimensions]); no `service`.
const metrics = createLambdaEmfWriter();
const secretBackend = createAwsSecretBackend((client) => tracer.captureAWSv3Client(client as never) as never);
let dataApiClient: RDSDataClient | undefined;
const dataApi = (): RDSDataClient => {
  dataApiClient ??= tracer.captureAWSv3Client(new RDSDataClient({}));
  return dataApiClient;
};
// Pools live at module scope: reused by every invocation of this execution environment.
const datasources = new Map<string, KpiDatasource>();

const datasourceFor = (name: string): KpiDatasource => {
  const existing = datasources.get(name);
  if (existing) return existing;
  const source = ownValue(config.datasources, name);
  if (!source) throw new KpiRunnerEventError(`unknown datasource '${name}'`);
  const created =
    source.type === 'postgres'
      ? createPgDatasource({
          name,
          credentials: createSecretCredentials({
            secretId: source.secretId,
            fetchSecret: secretBackend.secretsManager,
          }),
          host: source.host,
          port: source.port,
          database: source.database,
          ssl: source.ssl,
          maxConnections: source.maxConnections,
        })
      : createDataApiDatasource({
          name,
          clusterArn: source.clusterArn,
          secretArn: source.secretArn,
          database: source.database,
          client: dataApi(),
        });
  datasources.set(name, created);
  return created;
};

/** One X-Ray subsegment per KPI query, under the invocation's segment. */
const tracing: KpiTracing = {
  startQuery(kpiName, datasource) {
    const parent = tracer.getSegment();
    const sub: Subsegment | undefined = parent?.addNewSubsegment(`kpi ${kpiName}`);
    sub?.addAnnotation('datasource', datasource);
    return {
      annotate: (key, value) => sub?.addAnnotation(key, value),
      fail: (error) => sub?.addError(error),
      close: () => sub?.close(),
    };
  },
};

const runGroup = async (
  event: KpiRunnerEvent,
): Promise<{ group: string; ok: number; breached: number; failed: number }> => {
  const { group } = parseKpiRunnerEvent(event);
  const kpis = ownValue(config.groups, group) ?? [];
  const results = await runKpis(kpis, {
    datasource: datasourceFor,
    concurrency: config.concurrency,
    tracing,
  });
  const published = results.map((outcome) => publishKpi(config.app, outcome, metrics.serialize));
  for (const { result, lines } of published) {
    metrics.write(lines);
    const entry = {
      kpi: result.name,
      status: result.status,
      durationMs: Math.round(result.durationMs),
      rows: result.rowCount,
      breaches: result.breaches,
      ...(result.error ? { error: result.error, errorName: result.errorName } : {}),
    };
    if (result.status === 'failed') logger.error('KPI failed', entry);
    else if (result.status === 'breached') logger.warn('KPI breached', entry);
    else logger.info('KPI ok', entry);
  }
  const count = (status: string) => published.filter(({ result }) => result.status === status).length;
  return { group, ok: count('ok'), breached: count('breached'), failed: count('failed') };
};

/** The scheduler's event: `{ "group": "<one of this runner's groups>" }`. */
const kpiRunnerEventSchema = z.object({
  group: z.custom<string>(
    (group) => typeof group === 'string' && ownValue(config.groups, group) !== undefined,
    {
      error: (issue) =>
        `unknown KPI group '${String(issue.input)}' (this runner has: ${Object.keys(config.groups).join(', ')})`,
    },
  ),
});

/** @throws {KpiRunnerEventError} naming the path of what is wrong (`event.group: unknown KPI group 'x' …`) */
const parseKpiRunnerEvent = (event: unknown): KpiRunnerEvent => {
  const parsed = kpiRunnerEventSchema.safeParse(event);
  if (parsed.success) return parsed.data;
  throw new KpiRunnerEventError(
    parsed.error.issues
      .map((issue) => `${formatPath(['event', ...issue.path])}: ${issue.message}`)
      .join('; '),
  );
};

/**
 * Runs the KPIs of the schedule group named in the event (`{ "group": "every-5m" }`), publishes their
 * values, `QueryDuration` and `QueryFailed` as EMF, and logs one line per KPI. A failing KPI never fails
 * the invocation: it is reported through `QueryFailed` and its alarm. A KPI whose metrics CloudWatch
 * would not take is published as failed (`QueryFailed = 1`) with the reason, never half-published.
 */
export const handler = instrumentHandler(runGroup);
