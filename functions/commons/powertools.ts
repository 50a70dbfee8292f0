import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Single shared Powertools instances per function (service name from POWERTOOLS_SERVICE_NAME, set by
 * VigilFunction). Metrics go through Vigil's own EMF writer (`commons/metrics`), which enforces
 * CloudWatch's rules and splits records without losing dimensions.
 */
export const logger = new Logger();
/** Shared X-Ray tracer. */
export const tracer = new Tracer();
