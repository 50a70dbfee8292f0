/**
 * The value a record holds under `key` as its own property, else `undefined`. Config names are looked up
 * with this, never with `record[key]` or `key in record`: those find `Object.prototype` members, so a name
 * such as `constructor` or `toString` would resolve to a function instead of being reported unknown.
 *
 * @example
 * ownValue(config.channels, 'constructor'); // undefined, unless a channel is really named so
 */
export const ownValue = <T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined =>
  record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
