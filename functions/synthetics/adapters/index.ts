/** Adapters of the check engine's ports: X-Ray tracing (straight to the daemon), local tracing, EMF metrics. */
export {
  CHECK_METRICS,
  type CheckPublishing,
  checkMetricRecords,
  checkPublishing,
  type MetricsLevel,
  metricCountPerCheck,
  publishCheckMetrics,
  STEP_METRICS,
} from './emf-publisher';
export { type LocalSpanRecord, LocalTracing, type LocalTracingOptions } from './local-tracing';
export {
  createXrayDaemonTracing,
  type InvocationTracingMiddleware,
  parseDaemonAddress,
  XRAY_MAX_DATAGRAM_BYTES,
  type XrayDaemonAddress,
  XrayDaemonAddressError,
  XrayDaemonTracing,
  type XrayDaemonTracingOptions,
} from './xray-daemon-tracing';
