import { createHash } from 'node:crypto';

/** Letters and digits that survive being read aloud or typed on a phone (no 0/O, 1/I/L, U). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

/** Characters in a short id: 30^5 ≈ 24 million codes, plenty for one person's open pages. */
const LENGTH = 5;

/**
 * A stable short code for an incident, for people to type: SMS pages show it and `ACK <code>` names the page
 * to acknowledge. Derived from the incident id alone (SHA-256), so every path computes the same code without
 * storing it. Compare case-insensitively (see {@link sameShortId}).
 *
 * @example
 * incidentShortId('shop-check-login-20260302T103000Z-aaaa'); // 'GHQ8A'
 */
export const incidentShortId = (incidentId: string): string => {
  const digest = createHash('sha256').update(incidentId).digest();
  return [...digest.subarray(0, LENGTH)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
};

/** Whether `typed` (any case, surrounding spaces) names the incident whose short id is `shortId`. */
export const sameShortId = (typed: string, shortId: string): boolean =>
  typed.trim().toUpperCase() === shortId;
