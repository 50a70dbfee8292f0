/** The one EMF writer every area publishes through, and the CloudWatch rules it enforces. */
export * from './emf-rules';
export * from './emf-writer';
export * from './errors';
export * from './kpi-dimensions';
export * from './lambda-metrics';
export * from './metric-catalog';
