import { randomBytes } from 'node:crypto';

/** The ids a request needs to join a trace. */
export interface TraceContext {
  /** X-Ray trace id, `1-<8 hex epoch seconds>-<24 hex>`. */
  readonly traceId: string;
  /** 16 hex chars: the span the request is made from. */
  readonly spanId: string;
  readonly sampled: boolean;
}

const XRAY_TRACE_ID = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/;

/** Random bytes drawn from the CSPRNG in one call, handed out as ids need them. */
const POOL_BYTES = 4_096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/**
 * `bytes` random bytes as hex, from a pool refilled by one `randomBytes` call every 4 KiB: the same
 * generator, without a call into it (and a Buffer) for every trace and span id of every check.
 */
const randomHex = (bytes: number): string => {
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
};

/** Makes a new X-Ray trace id whose time part is `epochMs` (seconds, as 8 hex digits). */
export const newXrayTraceId = (epochMs: number): string =>
  `1-${Math.floor(epochMs / 1000)
    .toString(16)
    .padStart(8, '0')
    .slice(-8)}-${randomHex(12)}`;

/** Makes a new 16-hex-digit span (X-Ray subsegment / W3C parent) id. */
export const newSpanId = (): string => randomHex(8);

/**
 * Converts an X-Ray trace id to the 32-hex W3C trace id (the same bits: epoch part then random part),
 * which is how X-Ray itself maps W3C traces.
 *
 * @throws {TypeError} when the id is not an X-Ray trace id
 */
export const w3cTraceId = (xrayTraceId: string): string => {
  const match = XRAY_TRACE_ID.exec(xrayTraceId);
  if (!match) throw new TypeError(`not an X-Ray trace id: '${xrayTraceId}'`);
  return `${match[1]}${match[2]}`;
};

/**
 * The headers that let the backend's traces join the check's trace: `X-Amzn-Trace-Id`
 * (`Root=...;Parent=...;Sampled=1`) and W3C `traceparent` (`00-<32 hex>-<16 hex>-01`), both derived
 * from the same trace and span.
 *
 * @example
 * traceHeaders({ traceId: '1-5759e988-bd862e3fe1be46a994272793', spanId: '53995c3f42cd8ad8', sampled: true });
 * // { 'X-Amzn-Trace-Id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
 * //   traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01' }
 */
export const traceHeaders = (context: TraceContext): Record<'X-Amzn-Trace-Id' | 'traceparent', string> => {
  const flag = context.sampled ? '1' : '0';
  return {
    // Spelled exactly so: the X-Ray SDK's global http patch (Powertools Tracer's captureHTTPsRequests)
    // skips requests carrying this header, instead of adding a second header and subsegment.
    'X-Amzn-Trace-Id': `Root=${context.traceId};Parent=${context.spanId};Sampled=${flag}`,
    traceparent: `00-${w3cTraceId(context.traceId)}-${context.spanId}-0${flag}`,
  };
};
