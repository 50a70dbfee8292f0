import type { HeartbeatRecord, PingRecord } from '../types/heartbeat-record';
import type { HeartbeatStore } from '../types/ports';

/** Applies a ping to a heartbeat's record: what every store does (DynamoDB does it in one update). */
export const applyPing = (previous: HeartbeatRecord | undefined, ping: PingRecord): HeartbeatRecord => {
  const { lastExitCode: _code, lastOutput: _output, ...kept } = previous ?? { name: ping.name };
  const endsRun = ping.kind !== 'start';
  return {
    ...kept,
    name: ping.name,
    lastPingAt: ping.at,
    lastKind: ping.kind,
    ...(ping.kind === 'start' ? { lastStartAt: ping.at } : {}),
    ...(ping.kind === 'success' ? { lastSuccessAt: ping.at } : {}),
    ...(ping.kind === 'fail' ? { lastFailAt: ping.at } : {}),
    // A run's exit code and output replace the last run's; a start keeps them until its run ends.
    ...(endsRun
      ? {
          ...(ping.exitCode !== undefined ? { lastExitCode: ping.exitCode } : {}),
          ...(ping.output !== undefined ? { lastOutput: ping.output } : {}),
        }
      : {
          ...(previous?.lastExitCode !== undefined ? { lastExitCode: previous.lastExitCode } : {}),
          ...(previous?.lastOutput !== undefined ? { lastOutput: previous.lastOutput } : {}),
        }),
  };
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
