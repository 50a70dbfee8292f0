/**
 * The synthetic check engine: a pure core (node built-ins only, no AWS SDK, no `process.env`) that the
 * runner Lambda, the CLI's local mode and the tests all drive with their own ports.
 */

export { realClock } from '../../commons/clock';
export { isSensitiveHeader, isSensitiveName, REDACTED, Redactor } from '../../commons/redactor';
export { compare, evaluateAssertion } from './assertions';
export { runCheck, type SecretCache, type SharedRun } from './check-runner';
export { runDnsProbe } from './dns-check';
export { type EngineOptions, reuseConnectionsFor } from './engine-options';
export {
  CheckAbortedError,
  JsonPathSyntaxError,
  ProbeConnectionError,
  RedirectError,
  ResponseTooLargeError,
  StepTimeoutError,
  TemplateVariableError,
} from './errors';
export { type Extraction, extractValues } from './extract';
export { HttpClient, type HttpRequest, HttpRequestError, type HttpResponse } from './http-client';
export { evaluateJsonPath, type JsonPathMatch, type JsonPathSegment, parseJsonPath } from './json-path';
export { type JsonSchema, validateJsonSchema } from './json-schema';
export {
  certificateInfo,
  daysToExpiry,
  type PeerCertificateSummary,
} from './peer-certificate';
export type { ProbeEnvironment, ProbeOutcome } from './probe-outcome';
export { type ParsedJson, type ResponseView, responseView } from './response-view';
export { retryDelayMs } from './retry-policy';
export { runChecks } from './run-checks';
export { runTcpProbe } from './tcp-check';
export { runTlsProbe } from './tls-check';
export { newSpanId, newXrayTraceId, type TraceContext, traceHeaders, w3cTraceId } from './trace-headers';
export { untracedSpan, untracedTracing } from './untraced-tracing';
