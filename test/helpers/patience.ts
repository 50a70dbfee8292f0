/**
 * The timeout of a slow test or hook (synthesizing a state machine, starting local mode, a flow over moto):
 * only a guard against a hang, never a speed goal. Generous because the suite must pass on a loaded machine
 * (a load average of 25 on 2 cores has been seen); timing goals live in `bench/`.
 */
export const HANG_GUARD_MS = 600_000;
