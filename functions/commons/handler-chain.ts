import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';

/** A middy middleware of the chain: the invocation's tracing, or the flush of its buffered metrics. */
// biome-ignore lint/suspicious/noExplicitAny: a middleware of any handler's event, result and context
export type HandlerMiddleware = MiddlewareObj<any, any, Error, any>;

/** What a handler is instrumented with. */
export interface HandlerChainParts {
  /** Puts the Lambda context on every log line of the invocation. */
  readonly logger: Logger;
  /** The invocation's trace subsegment, with the error when it fails. @default not traced */
  readonly tracing?: HandlerMiddleware;
  /** Flushes the invocation's buffered metrics after it returns or throws. @default nothing to flush */
  readonly flush?: HandlerMiddleware;
}

/** Any Lambda handler: Vigil's handlers type their own event, context and result. */
// biome-ignore lint/suspicious/noExplicitAny: a handler's own parameter types are kept as they are
export type AnyHandler = (event: any, context: any) => Promise<unknown>;

/**
 * The one middleware chain every Vigil function uses (middy + Powertools, in the order Powertools
 * documents): the Lambda context on every log line (`injectLambdaContext`, the event never logged), then
 * the invocation's tracing, then the metrics flush. This module loads neither Powertools Tracer nor
 * Metrics: the parts are given, so a function that traces without the X-Ray SDK (the runner) does not
 * load it. Most functions get their parts from `instrumentHandler` (`./instrument-handler`).
 *
 * The handler keeps its own type: callers (and tests) call it as before, with or without a context.
 *
 * @example
 * export const handler = chainHandler(run, { logger, tracing: daemonTracing.captureLambdaHandler() });
 */
export const chainHandler = <H extends AnyHandler>(handler: H, parts: HandlerChainParts): H => {
  const chain = middy(handler).use(
    // The event is never logged (paths and bodies may hold tokens), whatever POWERTOOLS_LOGGER_LOG_EVENT says.
    injectLambdaContext(parts.logger, { logEvent: false, resetKeys: true }),
  );
  if (parts.tracing) chain.use(parts.tracing);
  if (parts.flush) chain.use(parts.flush);
  return chain as unknown as H;
};
