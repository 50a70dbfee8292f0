import type { VigilConfigInput } from '../functions/commons/config/schema';

const RUNBOOKS = 'https://runbooks.flights.example.com';

/**
 * The demo's alert rules as alarms, SLOs, error tracking and dashboards: the seeds' rule catalog
 * (`ServiceDown` critical/platform, `HighErrorRate` critical/backend, `DatabaseConnectionsHigh`
 * warning/database, `LowConversionRate` warning/product, `PaymentFailuresHigh` critical/payments) over the
 * flight-booking platform's own metrics and resources, with "service down" suppressing its dependents.
 * Alarm names equal the seeds' rule names, so an `alertRules` entry of the same name (escalation config),
 * when present, supplies summary and routing. Spread into `vigil.config.ts`.
 *
 * @example
 * export const config = defineConfig({ app: 'flight-booking', ..., ...demoObservability });
 */
export const demoObservability = {
  alarms: [
    {
      type: 'serviceDown',
      name: 'ServiceDown',
      checks: ['health_live', 'health_ready'],
      severity: 'critical',
      team: 'platform',
      description: 'Flight booking service is down',
      runbookUrl: `${RUNBOOKS}/service-down`,
    },
    {
      type: 'errorRate',
      name: 'HighErrorRate',
      api: { apiName: 'flight-booking-api', stage: 'prod' },
      thresholdPercent: 5,
      severity: 'critical',
      team: 'backend',
      description: 'High error rate detected',
      runbookUrl: `${RUNBOOKS}/high-error-rate`,
      suppressedBy: ['ServiceDown'],
    },
    {
      type: 'databaseConnections',
      name: 'DatabaseConnectionsHigh',
      dbInstance: 'flight-booking-db',
      threshold: 80,
      severity: 'warning',
      team: 'database',
      description: 'High number of database connections',
      runbookUrl: `${RUNBOOKS}/database-connections`,
      suppressedBy: ['ServiceDown'],
    },
    {
      type: 'metricBelow',
      name: 'LowConversionRate',
      metric: {
        namespace: 'Vigil',
        metricName: 'conversion_rate',
        dimensions: { App: 'flight-booking', Kpi: 'conversion_rate' },
        statistic: 'Average',
      },
      below: 10,
      period: '5m',
      evaluationPeriods: 3,
      severity: 'warning',
      team: 'product',
      description: 'Booking conversion rate is low',
      runbookUrl: `${RUNBOOKS}/kpi/conversion-rate`,
    },
    {
      type: 'failures',
      name: 'PaymentFailuresHigh',
      failures: {
        namespace: 'FlightBooking',
        metricName: 'PaymentFailures',
        dimensions: { service: 'payments' },
      },
      total: {
        namespace: 'FlightBooking',
        metricName: 'PaymentAttempts',
        dimensions: { service: 'payments' },
      },
      thresholdPercent: 10,
      severity: 'critical',
      team: 'payments',
      description: 'High payment failure rate',
      runbookUrl: `${RUNBOOKS}/payment-failures`,
      suppressedBy: ['ServiceDown'],
    },
    {
      type: 'lambda',
      name: 'BookingHandlerErrors',
      functionName: 'flight-booking-api-handler',
      metric: 'errors',
      threshold: 5,
      severity: 'warning',
      team: 'backend',
      suppressedBy: ['ServiceDown'],
    },
    {
      type: 'queue',
      name: 'ConfirmationQueueBacklog',
      queueName: 'booking-confirmations',
      metric: 'age',
      threshold: 300,
      severity: 'warning',
      team: 'backend',
    },
  ],
  slos: [
    {
      name: 'booking_availability',
      description: 'Booking journeys succeed',
      source: { check: 'booking_creation' },
      target: 99.9,
      window: '30d',
      team: 'backend',
      runbookUrl: `${RUNBOOKS}/slo/booking`,
    },
    {
      name: 'search_latency',
      description: 'Flight searches answer within a second',
      objective: 'latency',
      source: { check: 'flight_search' },
      thresholdMs: 1000,
      target: 99,
      window: '30d',
      team: 'backend',
    },
  ],
  errorTracking: {
    // The demo API's function is not deployed by Vigil: Vigil creates its log group, so the demo deploys
    // into an empty account. A log group that already exists is named as a plain string instead.
    logGroups: [{ name: '/aws/lambda/flight-booking-api-handler', create: true }],
    team: 'backend',
  },
} satisfies Pick<VigilConfigInput, 'alarms' | 'slos' | 'errorTracking'>;
