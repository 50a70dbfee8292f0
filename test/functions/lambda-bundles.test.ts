import { join } from 'node:path';
import { buildSync } from 'esbuild';

/** The packages a Lambda entry bundles, as VigilFunction bundles it (AWS SDK external). */
const bundledPackages = (entry: string): Set<string> => {
  const { metafile } = buildSync({
    entryPoints: [join(__dirname, '../../functions', entry)],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    logLevel: 'silent',
  });
  return new Set(
    Object.keys(metafile.inputs).flatMap((input) => {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      return match ? [match[1]!] : [];
    }),
  );
};

describe('Lambda bundles', () => {
  it.each([
    ['kpi/kpi-runner-handler.ts'],
    ['synthetics/synthetics-runner-handler.ts'],
    ['escalation/notify.ts'],
  ])(
    '%s gets Powertools Logger and Metrics through the shared middy chain (zod only as zod/mini: handler-bundles.test.ts)',
    (entry) => {
      // Act
      const packages = bundledPackages(entry);

      // Assess
      expect(packages.has('@aws-lambda-powertools/logger')).toBe(true);
      expect(packages.has('@middy/core')).toBe(true);
      expect(packages.has('@aws-lambda-powertools/metrics')).toBe(true);
    },
  );
});
