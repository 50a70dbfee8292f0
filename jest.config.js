/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  transformIgnorePatterns: ['/node_modules/(?!(p-limit|yocto-queue|@middy)/)'],
  // The package's own name resolves to its sources, as tsconfig.json `paths` does for tsc and tsx.
  moduleNameMapper: {
    '^@vigil-oss/vigil$': '<rootDir>/lib/index.ts',
    '^@vigil-oss/vigil/cdk$': '<rootDir>/lib/cdk.ts',
    // ESM only (its exports have no `require` condition): Jest loads and transforms its entry directly.
    '^@middy/core$': '<rootDir>/node_modules/@middy/core/index.js',
    '^@middy/util$': '<rootDir>/node_modules/@middy/util/index.js',
  },
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  snapshotSerializers: ['<rootDir>/test/setup/asset-hash-serializer.js'],
  // Only a guard against a hung test: generous, because tests assert behaviour, not speed, and the
  // suite must pass on a loaded machine. Timing goals live in bench/.
  testTimeout: 120000,
  maxWorkers: 2,
};
