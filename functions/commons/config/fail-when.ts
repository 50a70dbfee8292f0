import type { ResolvedFailWhen } from './types';

/**
 * A check's "N failed runs out of the last M": its own (or its group's, or `defaults`') `failWhen`, else the
 * app-wide `checkAlarms.failuresToAlarm` of `checkAlarms.outOf`; M is at least N.
 *
 * @example
 * resolveFailWhen({ failures: 2, outOf: 5 }, config.checkAlarms); // { failures: 2, outOf: 5 }
 */
export const resolveFailWhen = (
  failWhen: { readonly failures: number; readonly outOf?: number } | undefined,
  app: { readonly failuresToAlarm: number; readonly outOf?: number | undefined },
): ResolvedFailWhen => {
  const failures = failWhen?.failures ?? app.failuresToAlarm;
  const outOf = failWhen !== undefined ? failWhen.outOf : app.outOf;
  return { failures, outOf: Math.max(failures, outOf ?? failures) };
};
