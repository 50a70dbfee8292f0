import type { ResolvedHeartbeat } from '../commons/config/heartbeat-schema';
import { HEARTBEAT_DIMENSION, HEARTBEAT_METRICS } from './heartbeat-metrics';
import { type HeartbeatState, heartbeatState } from './heartbeat-state';
import type { HeartbeatClock, HeartbeatMetrics, HeartbeatStore } from './types/ports';

/** One heartbeat's evaluation. */
export interface HeartbeatEvaluation extends HeartbeatState {
  readonly name: string;
  readonly lastPingAt?: number;
}

/** The ports of {@link evaluateHeartbeats}. */
export interface EvaluatePorts {
  readonly store: HeartbeatStore;
  readonly clock: HeartbeatClock;
  readonly metrics: HeartbeatMetrics;
}

/**
 * The evaluator's core (every minute): reads every heartbeat's last pings, computes its state and publishes
 * `HeartbeatLate` and `HeartbeatFailed` (0 or 1) for each. The alarms treat missing data as breaching, so a
 * dead evaluator pages too.
 *
 * @example
 * await evaluateHeartbeats(heartbeats, { store, clock: realClock, metrics });
 */
export const evaluateHeartbeats = async (
  heartbeats: readonly ResolvedHeartbeat[],
  ports: EvaluatePorts,
): Promise<HeartbeatEvaluation[]> => {
  const records = await ports.store.readAll();
  const now = ports.clock.now();
  return heartbeats.map((heartbeat) => {
    const record = records.get(heartbeat.name);
    const state = heartbeatState(heartbeat, record, now);
    ports.metrics.publish({
      dimensionSets: [{ [HEARTBEAT_DIMENSION]: heartbeat.name }],
      metrics: [
        { name: HEARTBEAT_METRICS.late, unit: 'Count', value: state.late ? 1 : 0 },
        { name: HEARTBEAT_METRICS.failed, unit: 'Count', value: state.failed ? 1 : 0 },
      ],
      metadata: { status: state.status, ...(state.dueAt !== undefined ? { dueAt: state.dueAt } : {}) },
      timestamp: now,
    });
    return {
      name: heartbeat.name,
      ...state,
      ...(record !== undefined ? { lastPingAt: record.lastPingAt } : {}),
    };
  });
};
