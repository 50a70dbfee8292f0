import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { logger } from './logger';

/**
 * Single shared Powertools instances per function (service name from POWERTOOLS_SERVICE_NAME, namespace from
 * POWERTOOLS_METRICS_NAMESPACE, both set by VigilFunction). Vigil's application metrics (checks, KPIs,
 * heartbeats, notification failures, skipped runs) go through Vigil's own EMF writer (`commons/metrics`), which
 * enforces CloudWatch's rules, splits records without losing dimensions and writes each record at once.
 * The logger lives in `./logger` (a function may load it alone) and is re-exported here.
 */
export { logger };

/** Shared X-Ray tracer. */
export const tracer = new Tracer();

/** What Powertools Metrics says when its buffer is empty: the normal case here, see {@link invocationMetrics}. */
const EMPTY_BUFFER_WARNING = 'No application metrics to publish';

/**
 * The function's Powertools metrics buffer, flushed by `logMetrics` after every invocation, failed ones
 * included. No Vigil function adds to it today (no `ColdStart` either, see `instrumentHandler`): its buffer is empty, since
 * application metrics are written at once by Vigil's EMF writer, so Powertools' per-invocation "no application
 * metrics" warning is logged at debug level; every other warning of it stays a warning.
 */
export const invocationMetrics = new Metrics({
  logger: {
    trace: (...args: unknown[]) => logger.trace(...(args as [string])),
    debug: (...args: unknown[]) => logger.debug(...(args as [string])),
    info: (...args: unknown[]) => logger.info(...(args as [string])),
    warn: (...args: unknown[]) =>
      typeof args[0] === 'string' && args[0].startsWith(EMPTY_BUFFER_WARNING)
        ? logger.debug(...(args as [string]))
        : logger.warn(...(args as [string])),
    error: (...args: unknown[]) => logger.error(...(args as [string])),
  },
});
