import type { Clock } from '../../commons/clock';
import type { EmfRecord } from '../../commons/metrics/emf-writer';
import type { HeartbeatRecord, PingRecord } from './heartbeat-record';

/** Where heartbeats' last pings live (DynamoDB in AWS, memory locally). */
export interface HeartbeatStore {
  /** Records a ping; resolves to the record as it was before, so a success can time its run. */
  recordPing(ping: PingRecord): Promise<HeartbeatRecord | undefined>;
  /** Every heartbeat's record, by name. */
  readAll(): Promise<ReadonlyMap<string, HeartbeatRecord>>;
}

/**
 * Every heartbeat's current ping token, by name. Loaded all at once, so any id costs the same. Returns the
 * map itself once it is loaded (a warm Lambda, local mode), a promise only while it loads, so that a ping
 * waits for nothing it does not need.
 */
export type HeartbeatTokens = () => ReadonlyMap<string, string> | Promise<ReadonlyMap<string, string>>;

/** Publishes metrics (the shared EMF writer in Lambda, a local sink elsewhere). */
export interface HeartbeatMetrics {
  publish(record: EmfRecord): void;
}

/** The part of the one {@link Clock} heartbeats use: epoch milliseconds now. */
export type HeartbeatClock = Pick<Clock, 'now'>;
