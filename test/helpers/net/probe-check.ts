import type { ResolvedCheck, ResolvedProbe } from '../../../functions/commons/config/types';
import { check } from '../http/check-fixture';

/** A resolved `tcp`, `dns` or `tls` check around `probe`, with the fixture's defaults (one attempt, 5 s). */
export const probeCheck = (
  name: string,
  probe: ResolvedProbe,
  overrides: Partial<ResolvedCheck> = {},
): ResolvedCheck => check(name, [], { type: probe.type, probe, ...overrides });
