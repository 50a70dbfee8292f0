import { readFileSync } from 'node:fs';
import { API_REPORT_FILE, renderApiReport } from '../../scripts/api-report';

describe('the public API report', () => {
  let report: string;
  beforeAll(() => {
    report = renderApiReport();
  }, 180_000);

  it('matches api/vigil.api.md: exported names, signatures and the config schema change only on purpose', () => {
    // Assess: on a deliberate change run `npm run api:report`, bump semver and note it in CHANGELOG.md
    expect(report).toBe(readFileSync(API_REPORT_FILE, 'utf8'));
  });

  it('names every public entry with its exports', () => {
    // Assess
    expect(report).toContain('## `@vigil-oss/vigil` (lib/index.ts)');
    expect(report).toContain('- function defineConfig(config: VigilConfigInput): VigilConfigInput');
    expect(report).toContain('## `@vigil-oss/vigil/cdk` (lib/cdk.ts)');
    expect(report).toContain('- function addVigil(app: App, props: AddVigilProps): VigilStacks');
    expect(report).toMatch(/- sha256: [0-9a-f]{64}/);
  });
});
