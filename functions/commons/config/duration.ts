import { z } from 'zod';

const UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
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

/** Formats milliseconds back into the shortest exact duration text (`300000` -> `'5m'`). */
export const formatDuration = (ms: number): string => {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNITS_MS[unit] && ms % UNITS_MS[unit] === 0) return `${ms / UNITS_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
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
