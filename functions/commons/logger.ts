import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The function's single Powertools Logger (service name from `POWERTOOLS_SERVICE_NAME`, set by
 * `VigilFunction`). Its own module so that a function can log without loading Powertools Tracer and
 * Metrics (the runner: see `handler-chain.ts`).
 */
export const logger = new Logger();
