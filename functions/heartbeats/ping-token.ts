import { randomBytes, timingSafeEqual } from 'node:crypto';
import { MAX_TOKEN_LENGTH } from './ping-request';

/** A key's width: a length byte, then the token's bytes (a ping URL's token is ASCII), then zeros. */
const KEY_BYTES = 1 + MAX_TOKEN_LENGTH;
/** The length byte of a token no ping URL can carry (longer than the path allows, or not ASCII). */
const UNUSABLE = 0xff;

/** Writes a token's key into `into` and returns it. */
const writeKey = (token: string, into: Buffer): Buffer => {
  into.fill(0);
  const bytes = Buffer.byteLength(token, 'utf8');
  if (bytes > MAX_TOKEN_LENGTH || bytes !== token.length) into[0] = UNUSABLE;
  else into[0] = into.write(token, 1, 'latin1');
  return into;
};

/**
 * What a known token is compared by: a fixed-width buffer holding its length and bytes, computed once per
 * known token. Two keys are equal exactly when the tokens are, and every comparison reads the same number
 * of bytes, whatever the tokens' lengths or contents.
 */
export const tokenKey = (token: string): Buffer => writeKey(token, Buffer.alloc(KEY_BYTES));

// One buffer for the given token's key: written and compared synchronously, so pings never share it.
const givenKey = Buffer.alloc(KEY_BYTES);

/**
 * Compares a given token with the expected one's {@link tokenKey} in constant time: both are fixed-width,
 * so neither the expected token's length nor the first differing character shows in the time taken (the
 * given token's length, which the caller chose, is all that does). No digest per ping: a fixed-width copy
 * costs a fraction of a SHA-256 and compares as safely. A token no ping URL can carry never matches.
 */
export const tokenMatches = (given: string, expectedKey: Buffer): boolean => {
  const key = writeKey(given, givenKey);
  return timingSafeEqual(key, expectedKey) && key[0] !== UNUSABLE;
};

/** A token no ping can know, compared against for unknown ids so they cost what a wrong token costs. */
export const unknownIdToken = (): string => randomBytes(24).toString('base64url');

/** A new ping token (local mode; in AWS Secrets Manager generates them). 32 URL-safe characters. */
export const newPingToken = (): string => randomBytes(24).toString('base64url');
