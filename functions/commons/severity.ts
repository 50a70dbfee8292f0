/**
 * How loud an alarm is: the one list every schema, resolver, construct and the escalation router share.
 * Ordered loudest first.
 */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;

/** One of {@link SEVERITIES}. */
export type Severity = (typeof SEVERITIES)[number];

/**
 * Whether a string (an alarm tag, a config key) names a severity.
 *
 * @example
 * isSeverity(tags['vigil:severity']); // true for 'critical'
 */
export const isSeverity = (value: string | undefined): value is Severity =>
  value !== undefined && (SEVERITIES as readonly string[]).includes(value);
