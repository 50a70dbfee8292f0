/**
 * A 32-bit FNV-1a hash of `text`, finished with a murmur3 avalanche so that names differing in one
 * character land far apart. Deterministic across processes and Node versions (no seed, no randomness).
 *
 * @example
 * stableHash('checkout-api'); // the same number in the CLI, the Lambda and the tests
 */
export const stableHash = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
};

/**
 * The delay, from the start of its run, before a check starts: a deterministic point of `[0, spreadMs)`
 * taken from the check's name, so a thousand checks on one schedule do not all hit their targets in the
 * same second, and each check keeps its slot from one run (and one deploy) to the next.
 *
 * @example
 * checkOffsetMs('checkout-api', 25_000); // e.g. 17_342, every time
 */
export const checkOffsetMs = (checkName: string, spreadMs: number): number =>
  spreadMs <= 0 ? 0 : Math.floor((stableHash(`offset:${checkName}`) / 2 ** 32) * spreadMs);
