import type { VigilConfigInput } from '../functions/commons/config/schema';

/** The demo's app name (alarm names start with `flight-booking-`). */
export const DEMO_APP = 'flight-booking';

/**
 * The demo's channels. Webhook URLs and the PagerDuty routing key live in Secrets Manager; email and SMS
 * get an SNS topic each. PagerDuty falls back to SMS when it cannot be reached.
 */
export const demoChannels = {
  'oncall-slack': { type: 'slack', webhook: { secretsManager: 'flight-booking/slack-oncall-webhook' } },
  'oncall-pagerduty': {
    type: 'pagerduty',
    routingKey: { secretsManager: 'flight-booking/pagerduty-routing-key' },
    fallback: 'oncall-sms',
  },
  'oncall-sms': { type: 'sms', phoneNumbers: ['+447700900123'] },
  'oncall-email': { type: 'email', addresses: ['oncall@example.com'] },
} satisfies VigilConfigInput['channels'];

/**
 * The seeds' `AlertManager` escalation matrix, exactly: critical -> Slack + PagerDuty at once, SMS after
 * 5 min, email after 15 min; warning -> Slack, email after 30 min, and only in business hours (the seeds'
 * "Slack notification (Business Hours)"); info -> Slack.
 */
export const demoEscalationPolicies = {
  critical: {
    levels: [
      { after: '0s', channels: ['oncall-slack', 'oncall-pagerduty'] },
      { after: '5m', channels: ['oncall-sms'] },
      { after: '15m', channels: ['oncall-email'] },
    ],
  },
  warning: {
    businessHoursOnly: true,
    levels: [
      { after: '0s', channels: ['oncall-slack'] },
      { after: '30m', channels: ['oncall-email'] },
    ],
  },
  info: { levels: [{ after: '0s', channels: ['oncall-slack'] }] },
} satisfies VigilConfigInput['escalation'];

/** Business hours of the engineering channel: Monday to Friday, 09:00-17:30, London time. */
export const demoBusinessHours = {
  timezone: 'Europe/London',
  schedule: {
    mon: '09:00-17:30',
    tue: '09:00-17:30',
    wed: '09:00-17:30',
    thu: '09:00-17:30',
    fri: '09:00-17:30',
  },
  holidays: ['2026-12-25', '2026-12-28'],
} satisfies VigilConfigInput['businessHours'];

/**
 * The seeds' "Maintenance Mode": the weekly database maintenance window silences the database team's
 * alarms (recorded, nobody paged), and a one-off payment-provider switch silences payment alarms.
 */
export const demoSilences = [
  {
    name: 'weekly-db-maintenance',
    reason: 'Sunday database maintenance window',
    match: { team: 'database' },
    recurring: { timezone: 'Europe/London', days: ['sun'], time: '02:00-04:00' },
  },
  {
    name: 'payment-provider-switch',
    reason: 'Maintenance Mode while switching the payment provider route',
    match: { alarm: 'flight-booking-*payment*' },
    start: '2026-12-01T22:00:00Z',
    end: '2026-12-01T23:00:00Z',
  },
] satisfies VigilConfigInput['silences'];

/** The seeds' Prometheus alert rules by name, with their severity and team; `alarms` wires them to checks/KPIs. */
export const demoAlertRules = [
  {
    name: 'ServiceDown',
    severity: 'critical',
    team: 'platform',
    summary: 'Service is down',
    description: 'A health probe has failed for more than 1 minute',
    runbookUrl: 'https://runbooks.example.com/flight-booking/service-down',
    alarms: ['flight-booking-check-health_*'],
  },
  {
    name: 'HighErrorRate',
    severity: 'critical',
    team: 'backend',
    summary: 'High error rate detected',
    description: '5xx rate above 5 % for 2 minutes',
    runbookUrl: 'https://runbooks.example.com/flight-booking/high-error-rate',
    alarms: ['flight-booking-rule-HighErrorRate*'],
  },
  {
    name: 'DatabaseConnectionsHigh',
    severity: 'warning',
    team: 'database',
    summary: 'High number of database connections',
    runbookUrl: 'https://runbooks.example.com/flight-booking/db-connections',
    alarms: ['flight-booking-rule-DatabaseConnectionsHigh*'],
  },
  {
    name: 'LowConversionRate',
    severity: 'warning',
    team: 'product',
    summary: 'Booking conversion rate is low',
    runbookUrl: 'https://runbooks.example.com/flight-booking/low-conversion',
    alarms: ['flight-booking-kpi-conversion_rate-*'],
  },
  {
    name: 'PaymentFailuresHigh',
    severity: 'critical',
    team: 'payments',
    summary: 'High payment failure rate',
    runbookUrl: 'https://runbooks.example.com/flight-booking/payment-failures',
    alarms: ['flight-booking-rule-PaymentFailuresHigh*', 'flight-booking-check-booking_creation*'],
  },
] satisfies VigilConfigInput['alertRules'];

/**
 * Everything the escalation engine needs, to spread into `vigil.config.ts`.
 *
 * @example
 * export const config = defineConfig({ app: DEMO_APP, environments: {...}, ...demoKpis, ...demoEscalation });
 */
export const demoEscalation = {
  channels: demoChannels,
  escalation: demoEscalationPolicies,
  businessHours: demoBusinessHours,
  silences: demoSilences,
  alertRules: demoAlertRules,
} satisfies Pick<VigilConfigInput, 'channels' | 'escalation' | 'businessHours' | 'silences' | 'alertRules'>;
