/** Adapters of the check engine's ports: X-Ray tracing, local tracing, EMF metrics. */
export {
  CHECK_METRICS,
  checkMetricRecords,
  type MetricsLevel,
  metricCountPerCheck,
  publishCheckMetrics,
  STEP_METRICS,
} from './emf-publisher';
export { type LocalSpanRecord, LocalTracing, type LocalTracingOptions } from './local-tracing';
export { createXRayTracing, XrayTracing } from './xray-tracing';
