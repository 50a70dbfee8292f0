import { z } from 'zod';
import { UNITS_MS } from './format-duration';

// Without zod, for the Lambdas: the escalation core formats durations in its messages.
export { formatDuration } from './format-duration';

const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;

/**
 * Parses a human duration (`'250ms'`, `'10s'`, `'5m'`, `'1h'`, `'30d'`) into milliseconds.
 * Returns `undefined` when the text is not a duration.
 *
 * @example
 * parseDuration('5m'); // 300000
 */
export const parseDuration = (text: string): number | undefined => {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNITS_MS[match[2] as keyof typeof UNITS_MS]);
};

/**
 * A duration in config: a string such as `'10s'` or a number of milliseconds. Output is milliseconds.
 */
export const durationSchema = z
  .union([z.string(), z.number().nonnegative()])
  .transform((value, ctx) => {
    if (typeof value === 'number') return value;
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `invalid duration '${value}': use a number with a unit, e.g. '250ms', '10s', '5m', '1h', '30d'`,
      });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: "Duration: '250ms', '10s', '5m', '1h', '30d', or milliseconds as a number" });

/** A duration that must be longer than zero: a timeout or latency threshold of `0` can never be met. */
export const positiveDurationSchema = durationSchema.refine((ms) => ms > 0, {
  message: "must be longer than 0, e.g. '10s'",
});
