import type { LocalEscalation } from '../../../../bin/local/escalation/local-escalation';
import { type LocalHeartbeats, startLocalHeartbeats } from '../../../../bin/local/local-heartbeats';
import { resolveHeartbeats } from '../../../../functions/commons/config/heartbeat-schema';
import type { VigilConfig } from '../../../../functions/commons/config/schema';

/** The local heartbeats of a config, what they printed, and the virtual clock they evaluate on. */
export interface DemoHeartbeats {
  readonly local: LocalHeartbeats;
  /** Every line the heartbeats printed, in order. */
  readonly lines: string[];
  /** The virtual clock's current time (epoch ms). */
  readonly now: () => number;
  /** Moves the virtual clock forward by `ms`. */
  readonly advance: (ms: number) => void;
}

/**
 * Starts `npm start`'s local heartbeats for every heartbeat of `config`, escalating through `escalation`, on a
 * virtual clock that starts at `startAt` and moves only when the test calls `advance`. Stop with `local.stop()`.
 */
export const startDemoHeartbeats = async (
  config: VigilConfig,
  escalation: LocalEscalation,
  startAt = Date.now(),
): Promise<DemoHeartbeats> => {
  const lines: string[] = [];
  let now = startAt;
  const local = await startLocalHeartbeats({
    app: config.app,
    heartbeats: resolveHeartbeats(config),
    print: (line) => lines.push(line),
    escalation,
    clock: { now: () => now },
  });
  return {
    local,
    lines,
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
};
