import { type CloudWatchClient, GetMetricWidgetImageCommand } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetTraceSummariesCommand, type XRayClient } from '@aws-sdk/client-xray';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { consoleOrigin } from '../../commons/aws-identifiers';
import type { Enrichment, Incident } from '../types/incident';
import type { Enricher } from '../types/ports';

/** Clients and settings of the AWS enricher. */
export interface AwsEnricherOptions {
  readonly xray: XRayClient;
  readonly cloudwatch: CloudWatchClient;
  readonly s3: S3Client;
  readonly bucket: string;
  /** Presigned graph URLs live this long. @default 86400 (24 h) */
  readonly urlTtlSeconds?: number;
  /** Looks back this far for failed traces. @default 900 (15 min) */
  readonly lookbackSeconds?: number;
  readonly now?: () => number;
}

class BudgetExceeded extends Error {
  public constructor() {
    super('time budget exceeded');
    this.name = 'EnrichmentBudgetError';
  }
}

const within = async <T>(work: Promise<T>, deadline: number, now: () => number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new BudgetExceeded()), Math.max(0, deadline - now()));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** X-Ray filter expression for faulted traces of a service (or of every service when none is known). */
export const faultFilter = (service: string | undefined): string =>
  service === undefined ? 'fault = true' : `service("${service.replace(/["\\]/g, '')}") { fault = true }`;

/**
 * Gathers recent failed X-Ray traces (`GetTraceSummaries` with a fault filter) and the alarm's metric graph
 * (`GetMetricWidgetImage`, stored in S3, presigned URL), both in parallel and within the budget. Whatever does
 * not finish in time or fails is listed in `skipped`: enrichment never blocks a page.
 */
export const awsEnricher = (options: AwsEnricherOptions): Enricher => {
  const now = options.now ?? Date.now;
  return async (incident: Incident, budgetMs: number): Promise<Enrichment> => {
    const deadline = now() + budgetMs;
    const skipped: string[] = [];
    const region = incident.alarm.region;
    const service = incident.tags['vigil:service'];
    const traces = within(
      (async () => {
        const end = new Date(now());
        const start = new Date(end.getTime() - (options.lookbackSeconds ?? 900) * 1000);
        const result = await options.xray.send(
          new GetTraceSummariesCommand({
            StartTime: start,
            EndTime: end,
            FilterExpression: faultFilter(service),
            Sampling: false,
          }),
        );
        const origin = consoleOrigin(region);
        return (result.TraceSummaries ?? []).slice(0, 5).flatMap((summary) =>
          summary.Id === undefined || origin === undefined
            ? []
            : [
                {
                  id: summary.Id,
                  url: `${origin}/cloudwatch/home?region=${region}#xray:traces/${encodeURIComponent(summary.Id)}`,
                  ...(summary.Duration !== undefined
                    ? { durationMs: Math.round(summary.Duration * 1000) }
                    : {}),
                },
              ],
        );
      })(),
      deadline,
      now,
    );
    const metric = incident.alarm.metric;
    const graph =
      metric === undefined
        ? Promise.resolve(undefined)
        : within(
            (async () => {
              const widget = {
                width: 600,
                height: 300,
                start: '-PT3H',
                title: incident.alarm.alarmName,
                metrics: [[metric.namespace, metric.name, ...Object.entries(metric.dimensions).flat()]],
                stat: metric.stat ?? 'Average',
                period: metric.periodSeconds ?? 60,
                ...(incident.alarm.threshold !== undefined
                  ? { annotations: { horizontal: [{ label: 'threshold', value: incident.alarm.threshold }] } }
                  : {}),
              };
              const image = await options.cloudwatch.send(
                new GetMetricWidgetImageCommand({
                  MetricWidget: JSON.stringify(widget),
                  OutputFormat: 'png',
                }),
              );
              if (image.MetricWidgetImage === undefined) throw new Error('no image returned');
              const key = `graphs/${incident.id}.png`;
              await options.s3.send(
                new PutObjectCommand({
                  Bucket: options.bucket,
                  Key: key,
                  Body: image.MetricWidgetImage,
                  ContentType: 'image/png',
                }),
              );
              return getSignedUrl(options.s3, new GetObjectCommand({ Bucket: options.bucket, Key: key }), {
                expiresIn: options.urlTtlSeconds ?? 86_400,
              });
            })(),
            deadline,
            now,
          );
    const [traceResult, graphResult] = await Promise.allSettled([traces, graph]);
    const reason = (result: PromiseRejectedResult) => (result.reason as Error).name ?? 'Error';
    if (traceResult.status === 'rejected') skipped.push(`traces: ${reason(traceResult)}`);
    if (graphResult.status === 'rejected') skipped.push(`graph: ${reason(graphResult)}`);
    if (metric === undefined) skipped.push('graph: alarm has no single metric');
    return {
      ...(traceResult.status === 'fulfilled' && traceResult.value.length > 0
        ? { traces: traceResult.value }
        : {}),
      ...(graphResult.status === 'fulfilled' && graphResult.value !== undefined
        ? { graphUrl: graphResult.value }
        : {}),
      ...(skipped.length > 0 ? { skipped } : {}),
    };
  };
};
