import { HEARTBEAT_METRICS, METRIC_DIMENSIONS } from '../commons/metrics/metric-catalog';

/** The metrics heartbeats publish and their alarms watch (their home is the metric catalog). */
export { HEARTBEAT_METRICS };

/** The dimension naming the heartbeat (beside `App`, which the writer adds). */
export const HEARTBEAT_DIMENSION = METRIC_DIMENSIONS.heartbeat;
