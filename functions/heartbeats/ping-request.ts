import type { PingKind } from './types/heartbeat-record';

/** A ping URL taken apart: `/ping/<id>/<token>[/start|/fail|/<exit-code>]`. */
export interface PingRequest {
  readonly id: string;
  readonly token: string;
  readonly kind: PingKind;
  readonly exitCode?: number;
}

/** The longest token a ping URL carries (URL-safe ASCII: one byte a character). */
export const MAX_TOKEN_LENGTH = 128;

const PING_PATH = new RegExp(
  `^/ping/([A-Za-z0-9][A-Za-z0-9_.-]{0,63})/([A-Za-z0-9_-]{1,${MAX_TOKEN_LENGTH}})(?:/(start|fail|\\d{1,3}))?/?$`,
);

/**
 * Parses a ping's method and path, or `undefined` for anything else (every such request gets the same 404).
 * An exit code of 0 is a success, 1-255 a failure.
 *
 * @example
 * parsePingRequest('GET', '/ping/nightly/Zx9.../fail'); // { id: 'nightly', token: 'Zx9...', kind: 'fail' }
 */
export const parsePingRequest = (method: string, path: string): PingRequest | undefined => {
  if (method !== 'GET' && method !== 'POST' && method !== 'HEAD') return undefined;
  const match = PING_PATH.exec(path);
  if (match === null) return undefined;
  const [, id = '', token = '', suffix] = match;
  if (suffix === undefined) return { id, token, kind: 'success' };
  if (suffix === 'start' || suffix === 'fail') return { id, token, kind: suffix };
  const exitCode = Number(suffix);
  if (exitCode > 255) return undefined;
  return { id, token, kind: exitCode === 0 ? 'success' : 'fail', exitCode };
};
