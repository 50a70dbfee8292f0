import type { RuntimeBusinessHours, RuntimePolicy } from '../types/runtime-config';
import { nextBusinessHoursStart } from './business-hours';

/** When a level is due, and whether business hours pushed it back. */
export interface LevelDue {
  readonly at: number;
  readonly deferred: boolean;
}

/**
 * When level `level` of round `round` is due: the incident start plus the round's offset plus the level's
 * `after`. For a business-hours-only policy the offsets count from the next business-hours start, and a level
 * falling outside business hours waits for the next start again.
 *
 * @example
 * levelDueAt(policy, Date.parse('2026-01-05T10:00:00Z'), 2, 0).at; // start + 15 min for the seeds' critical email
 */
export const levelDueAt = (
  policy: RuntimePolicy,
  startedAt: number,
  level: number,
  round: number,
  businessHours?: RuntimeBusinessHours,
): LevelDue => {
  const after = policy.levels[level]?.afterMs ?? 0;
  const roundStart = startedAt + round * policy.repeatIntervalMs;
  if (!policy.businessHoursOnly || businessHours === undefined)
    return { at: roundStart + after, deferred: false };
  // The policy's clock starts when business hours do; a level then falling outside them waits again.
  const opened = nextBusinessHoursStart(roundStart, businessHours) ?? roundStart;
  const at = nextBusinessHoursStart(opened + after, businessHours) ?? opened + after;
  return { at, deferred: at > roundStart + after };
};
