import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { type AnyHandler, chainHandler } from './handler-chain';
import { invocationMetrics, logger, tracer } from './powertools';

/** The Powertools instances a handler is instrumented with. */
export interface HandlerInstruments {
  /** @default the shared {@link logger} */
  readonly logger?: Logger;
  /** @default the shared {@link tracer} */
  readonly tracer?: Tracer;
  /** @default the shared {@link invocationMetrics} */
  readonly metrics?: Metrics;
}

/**
 * Wraps a Lambda handler in the one middleware chain every Vigil function uses ({@link chainHandler}),
 * with Powertools' parts:
 * - `injectLambdaContext`: every log line of the invocation carries the Lambda context (`function_request_id`,
 *   `function_name`, `cold_start`, …). The event is never logged (paths and bodies may hold tokens), whatever
 *   `POWERTOOLS_LOGGER_LOG_EVENT` says.
 * - `captureLambdaHandler`: the invocation's X-Ray subsegment, with the error when it fails; the response is
 *   not captured (pages, calendars and summaries are not trace metadata).
 * - `logMetrics`: the invocation's buffered Powertools metrics flushed after it returns or throws. Without
 *   Powertools' `ColdStart` metric (its default): no alarm or dashboard reads it, it would bill one custom
 *   metric per function, and a cold start is already in every log line (`cold_start`), in Lambda's `REPORT`
 *   line (`Init Duration`) and in the X-Ray trace (`Initialization`).
 *
 * The synthetics runner uses the same chain without Powertools Tracer and Metrics (its subsegments go
 * straight to the X-Ray daemon, its metrics through Vigil's EMF writer): see `createRunnerHandler`.
 *
 * @example
 * export const handler = instrumentHandler(async (event: MyEvent) => handle(event));
 */
export const instrumentHandler = <H extends AnyHandler>(
  handler: H,
  instruments: HandlerInstruments = {},
): H =>
  chainHandler(handler, {
    logger: instruments.logger ?? logger,
    tracing: captureLambdaHandler(instruments.tracer ?? tracer, { captureResponse: false }),
    flush: logMetrics(instruments.metrics ?? invocationMetrics),
  });
