// Snapshot serializer: replaces CDK asset hashes (64 hex chars) so snapshots change only when the
// template changes, not when bundled code changes.
const HASH = /[0-9a-f]{64}(\.zip|\.json)?/g;
module.exports = {
  test: (value) => typeof value === 'string' && /[0-9a-f]{64}/.test(value),
  serialize: (value) => JSON.stringify(value.replace(HASH, (_m, ext) => `[ASSET-HASH]${ext ?? ''}`)),
};
