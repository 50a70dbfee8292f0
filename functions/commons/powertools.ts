import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Single shared Powertools instances per function (service name and namespace come from
 * POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE, set by VigilFunction).
 */
export const logger = new Logger();
/** Shared EMF metrics instance. */
export const metrics = new Metrics();
/** Shared X-Ray tracer. */
export const tracer = new Tracer();
