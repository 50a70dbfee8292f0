import { formatDuration } from '../../commons/config/format-duration';
import { ownValue } from '../../commons/own-value';
import type { EscalationState, Incident } from '../types/incident';
import type { IncidentStore } from '../types/ports';
import type { EscalationRuntimeConfig, RuntimeFlapping } from '../types/runtime-config';

/** The flap damping of the check whose alarm this is, if it has one. */
export const flappingOf = (
  config: Pick<EscalationRuntimeConfig, 'flapping'>,
  alarmName: string,
): RuntimeFlapping | undefined => ownValue(config.flapping, alarmName);

/** The incident marked flapping (once): kept on it and said in its summary, so every later message says it. */
export const withFlapping = (incident: Incident, transitions: number, flapping: RuntimeFlapping): Incident =>
  incident.flapping !== undefined
    ? incident
    : {
        ...incident,
        flapping: { transitions, windowMs: flapping.windowMs },
        summary: `${incident.summary} [flapping: ${transitions} state changes in ${formatDuration(flapping.windowMs)}]`,
      };

/** Whether `count` recorded state changes make an incident flapping. */
export const isFlapping = (count: number, flapping: RuntimeFlapping): boolean => count > flapping.transitions;

/** What {@link holdFlappingResolve} decided: hold until `until` (the incident as marked), or resolve. */
export type FlapHold =
  | {
      readonly hold: true;
      readonly until: number;
      readonly incident: Incident;
      readonly okAt: number;
      readonly detail: string;
    }
  | { readonly hold: false; readonly incident: Incident };

/**
 * At a check that finds a flap-damped incident's alarm OK: records that state change (once per OK phase: when
 * no OK was recorded yet, or a re-alarm was recorded since), marks the incident flapping when the changes in
 * the window exceed the threshold, and holds the resolve until the quiet period has passed since the last
 * change.
 */
export const holdFlappingResolve = async (
  state: Pick<EscalationState, 'incident' | 'flapOkAt'>,
  key: string,
  flapping: RuntimeFlapping,
  now: number,
  store: Pick<IncidentStore, 'alarmTransitions'>,
): Promise<FlapHold> => {
  const since = now - flapping.windowMs;
  let changes = await store.alarmTransitions(key, { since });
  const latest = changes.at(-1);
  const okAt =
    state.flapOkAt === undefined || (latest !== undefined && latest > state.flapOkAt) ? now : state.flapOkAt;
  if (okAt === now && !changes.includes(now))
    changes = await store.alarmTransitions(key, { since, add: now });
  const incident = isFlapping(changes.length, flapping)
    ? withFlapping(state.incident, changes.length, flapping)
    : state.incident;
  const until = (changes.at(-1) ?? now) + flapping.quietMs;
  if (now >= until) return { hold: false, incident };
  const quiet = formatDuration(flapping.quietMs);
  return {
    hold: true,
    until,
    incident,
    okAt,
    detail:
      incident.flapping !== undefined
        ? `flapping: ${changes.length} state changes in ${formatDuration(flapping.windowMs)}; alarm OK, resolves after ${quiet} without a change`
        : `alarm OK; resolves after ${quiet} without a state change`,
  };
};
