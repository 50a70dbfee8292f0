import { HEARTBEAT_DIMENSION, HEARTBEAT_METRICS } from './heartbeat-metrics';
import { type PingRequest, parsePingRequest } from './ping-request';
import { tokenKey, tokenMatches, unknownIdToken } from './ping-token';
import { MAX_OUTPUT_BYTES, runOutput } from './run-output';
import type { HeartbeatRecord, PingRecord } from './types/heartbeat-record';
import type { HeartbeatClock, HeartbeatMetrics, HeartbeatStore, HeartbeatTokens } from './types/ports';

/** A ping as the handler sees it: any HTTP request to the ping endpoint. */
export interface PingInput {
  readonly method: string;
  readonly path: string;
  /** The request body as text (POST). */
  readonly body?: string;
}

/** What the endpoint answers. */
export interface PingResponse {
  readonly statusCode: number;
  readonly body: string;
}

/**
 * The only answers: `ok` for an accepted ping; `notFound` for anything else (unknown id, wrong token, other
 * path or method), always the same bytes so that nothing about a token can be learnt from the answer.
 */
export const PING_RESPONSES = {
  ok: { statusCode: 200, body: 'OK\n' },
  notFound: { statusCode: 404, body: 'not found\n' },
} as const satisfies Record<string, PingResponse>;

/** The ports of {@link createPingCore}. */
export interface PingPorts {
  readonly tokens: HeartbeatTokens;
  readonly store: HeartbeatStore;
  readonly clock: HeartbeatClock;
  /** Receives a run's duration (success after start) and failures, as they happen. @default none */
  readonly metrics?: HeartbeatMetrics;
  /** Output bytes kept. @default {@link MAX_OUTPUT_BYTES} */
  readonly maxOutputBytes?: number;
}

/** Milliseconds since the run's `/start`, when this success ends a run that was started. */
const runDurationMs = (previous: HeartbeatRecord | undefined, at: number): number | undefined => {
  const started = previous?.lastStartAt;
  if (started === undefined || started > at) return undefined;
  const ended = Math.max(previous?.lastSuccessAt ?? -1, previous?.lastFailAt ?? -1);
  return started > ended ? at - started : undefined;
};

/** Whether a port answered with a promise (still loading) rather than the value itself. */
const isPromise = <T>(value: T | Promise<T>): value is Promise<T> =>
  typeof (value as { then?: unknown }).then === 'function';

/** A ping as the store records it, built without spreading optional members in. */
const pingRecord = (request: PingRequest, at: number, output: string | undefined): PingRecord => {
  const ping: { -readonly [K in keyof PingRecord]: PingRecord[K] } = {
    name: request.id,
    kind: request.kind,
    at,
  };
  if (request.exitCode !== undefined) ping.exitCode = request.exitCode;
  if (output !== undefined) ping.output = output;
  return ping;
};

/** What a heartbeat's token is checked against: its key, with the token kept for redaction. */
interface KnownToken {
  readonly token: string;
  readonly key: Buffer;
}

/**
 * The ping endpoint's core: parses the URL, checks the token in constant time (an unknown id is compared
 * against a token nobody has, so it costs the same), records an accepted ping with its redacted, truncated
 * output and publishes the run's duration or failure at once. A rejected ping changes nothing. Once the
 * tokens are loaded, a ping awaits nothing but the store.
 *
 * @throws {HeartbeatTokensError | HeartbeatStoreError} from the ports, when AWS is unreachable
 */
export const createPingCore = (ports: PingPorts): ((input: PingInput) => Promise<PingResponse>) => {
  const nobodysKey = tokenKey(unknownIdToken());
  const maxOutputBytes = ports.maxOutputBytes ?? MAX_OUTPUT_BYTES;
  // Keys of the last loaded token map (a reload, e.g. after rotation, computes them anew).
  let keyed: { tokens: ReadonlyMap<string, string>; known: Map<string, KnownToken> } | undefined;
  const knownOf = (tokens: ReadonlyMap<string, string>): Map<string, KnownToken> => {
    if (keyed?.tokens !== tokens) {
      const known = new Map<string, KnownToken>();
      for (const [name, token] of tokens) known.set(name, { token, key: tokenKey(token) });
      keyed = { tokens, known };
    }
    return keyed.known;
  };
  const publish = (request: PingRequest, previous: HeartbeatRecord | undefined, at: number) => {
    const duration = request.kind === 'success' ? runDurationMs(previous, at) : undefined;
    if (ports.metrics === undefined || (duration === undefined && request.kind !== 'fail')) return;
    ports.metrics.publish({
      dimensionSets: [{ [HEARTBEAT_DIMENSION]: request.id }],
      metrics:
        duration !== undefined
          ? [{ name: HEARTBEAT_METRICS.duration, unit: 'Milliseconds', value: duration }]
          : [{ name: HEARTBEAT_METRICS.failed, unit: 'Count', value: 1 }],
      timestamp: at,
    });
  };
  return async (input) => {
    const request = parsePingRequest(input.method, input.path);
    if (request === undefined) return PING_RESPONSES.notFound;
    const loaded = ports.tokens();
    const known = knownOf(isPromise(loaded) ? await loaded : loaded).get(request.id);
    // Compare first, whatever the id: an unknown id and a wrong token take the same path and time.
    const matches = tokenMatches(request.token, known?.key ?? nobodysKey);
    if (known === undefined || !matches) return PING_RESPONSES.notFound;
    const at = ports.clock.now();
    const body = input.method === 'POST' ? input.body : undefined;
    const output =
      body !== undefined && body.length > 0 ? runOutput(body, known.token, maxOutputBytes) : undefined;
    const previous = await ports.store.recordPing(pingRecord(request, at, output));
    publish(request, previous, at);
    return PING_RESPONSES.ok;
  };
};
