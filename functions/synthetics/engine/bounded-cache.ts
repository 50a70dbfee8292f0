/**
 * A memo that keeps at most `limit` entries, forgetting the oldest one first: for work that depends only on
 * its key (a certificate's fields by fingerprint, a compiled pattern by its source) and that a long-lived
 * runner would otherwise redo on every check, without letting an endless stream of keys grow memory.
 *
 * @example
 * const patterns = new BoundedCache<string, RegExp>(64);
 * patterns.get('^220 ', (source) => new RegExp(source)).test('220 ready');
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();

  /** @param limit the most entries kept (at least 1) */
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`BoundedCache limit must be a positive integer, got ${limit}`);
  }

  /** Entries held now. */
  get size(): number {
    return this.#entries.size;
  }

  /** The value for `key`, made by `make(key)` and kept the first time it is asked for. */
  get(key: K, make: (key: K) => V): V {
    if (this.#entries.has(key)) return this.#entries.get(key) as V;
    const value = make(key);
    if (this.#entries.size >= this.limit) {
      // A Map iterates in insertion order: the first key is the oldest.
      this.#entries.delete(this.#entries.keys().next().value as K);
    }
    this.#entries.set(key, value);
    return value;
  }
}
