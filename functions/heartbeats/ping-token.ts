import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Compares a given token with the expected one in constant time: both are hashed first, so neither the
 * length nor the first differing character shows in the time taken.
 */
export const tokenMatches = (given: string, expected: string): boolean =>
  timingSafeEqual(digest(given), digest(expected));

/** A token no ping can know, compared against for unknown ids so they cost what a wrong token costs. */
export const unknownIdToken = (): string => randomBytes(24).toString('base64url');

/** A new ping token (local mode; in AWS Secrets Manager generates them). 32 URL-safe characters. */
export const newPingToken = (): string => randomBytes(24).toString('base64url');
