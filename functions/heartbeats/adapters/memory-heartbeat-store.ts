import type { HeartbeatRecord, PingRecord } from '../types/heartbeat-record';
import type { HeartbeatStore } from '../types/ports';

/**
 * Applies a ping to a heartbeat's record: what every store does (DynamoDB does it in one update). Builds the
 * record member by member (no rest or spread copies: the memory store does this on every ping).
 */
export const applyPing = (previous: HeartbeatRecord | undefined, ping: PingRecord): HeartbeatRecord => {
  const next: { -readonly [K in keyof HeartbeatRecord]: HeartbeatRecord[K] } = {
    name: ping.name,
    lastPingAt: ping.at,
    lastKind: ping.kind,
  };
  const startAt = ping.kind === 'start' ? ping.at : previous?.lastStartAt;
  if (startAt !== undefined) next.lastStartAt = startAt;
  const successAt = ping.kind === 'success' ? ping.at : previous?.lastSuccessAt;
  if (successAt !== undefined) next.lastSuccessAt = successAt;
  const failAt = ping.kind === 'fail' ? ping.at : previous?.lastFailAt;
  if (failAt !== undefined) next.lastFailAt = failAt;
  // A run's exit code and output replace the last run's; a start keeps them until its run ends.
  const exitCode = ping.kind === 'start' ? previous?.lastExitCode : ping.exitCode;
  if (exitCode !== undefined) next.lastExitCode = exitCode;
  const output = ping.kind === 'start' ? previous?.lastOutput : ping.output;
  if (output !== undefined) next.lastOutput = output;
  return next;
};

/** An in-memory {@link HeartbeatStore} (local mode, bench). */
export class MemoryHeartbeatStore implements HeartbeatStore {
  readonly #records = new Map<string, HeartbeatRecord>();

  public async recordPing(ping: PingRecord): Promise<HeartbeatRecord | undefined> {
    const previous = this.#records.get(ping.name);
    this.#records.set(ping.name, applyPing(previous, ping));
    return previous;
  }

  public async readAll(): Promise<ReadonlyMap<string, HeartbeatRecord>> {
    return new Map(this.#records);
  }
}
