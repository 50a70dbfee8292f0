/**
 * Naming and tagging conventions shared by every construct that creates alarms and by the escalation
 * engine that routes them. Kept in one place so a rename cannot split producers from the router.
 */

/** What an alarm watches. */
export type AlarmKind = 'check' | 'heartbeat' | 'kpi' | 'rule' | 'slo' | 'vigil';

/** Tag keys carried by every Vigil alarm. */
export const ALARM_TAGS = {
  /** `critical` | `warning` | `info`. */
  severity: 'vigil:severity',
  /** Owning team, routes escalation. */
  team: 'vigil:team',
  /** The config's app name. */
  app: 'vigil:app',
  /** What the alarm watches (check, heartbeat, kpi, rule, slo, vigil). */
  kind: 'vigil:kind',
} as const;

/**
 * Builds the alarm name `<app>-<kind>-<name>[-<severity>]`, trimmed to CloudWatch's 255 characters.
 *
 * @example
 * alarmName('flight-booking', 'kpi', 'conversion_rate', 'critical'); // 'flight-booking-kpi-conversion_rate-critical'
 */
export const alarmName = (app: string, kind: AlarmKind, name: string, severity?: string): string =>
  [app, kind, name, severity]
    .filter((part) => part !== undefined && part !== '')
    .join('-')
    .slice(0, 255);

/**
 * Whether `candidate` is the alarm {@link alarmName} builds for `<app>-<kind>-<name>`, or one of its
 * suffixed variants (`-critical`, `-degraded-warning` ...): how the router finds the rule an alarm belongs to.
 *
 * @example
 * isAlarmFor('shop-rule-HighErrorRate-critical', 'shop', 'rule', 'HighErrorRate'); // true
 */
export const isAlarmFor = (candidate: string, app: string, kind: AlarmKind, name: string): boolean => {
  const base = alarmName(app, kind, name);
  return candidate === base || candidate.startsWith(`${base}-`);
};

/**
 * Name of an alarm that only feeds a composite (a suppressed alarm's input, a burn-rate window). It
 * deliberately does not start with `<app>-`, so the escalation engine (which routes every alarm named
 * `<app>-*`) never pages on it: only the composite above it is routed.
 *
 * @example
 * inputAlarmName('shop', 'slo', 'checkout-burn-1h'); // 'shop.input.slo-checkout-burn-1h'
 */
export const inputAlarmName = (app: string, kind: AlarmKind, name: string): string =>
  `${app}.input.${kind}-${name}`.slice(0, 255);

/** The prefix every alarm of an app starts with; the escalation rule matches on it. */
export const alarmPrefix = (app: string): string => `${app}-`;

/**
 * A log group name as the label of its error-tracking metrics and alarms: `/aws/lambda/checkout` ->
 * `aws-lambda-checkout` (letters, digits, `_`, `-`, `.`; at most 200 characters).
 *
 * @example
 * logGroupLabel('/aws/lambda/checkout'); // 'aws-lambda-checkout'
 */
export const logGroupLabel = (name: string): string =>
  name
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200) || 'log-group';
