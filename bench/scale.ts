import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseConfig } from '../functions/commons/config/resolve-config';
import { createVigilStacks } from '../stacks/vigil-stacks';
import { emit, round } from './_report';

/** CloudFormation's per-stack resource limit: the baseline the largest stack is compared with. */
const CFN_RESOURCE_LIMIT = 500;
const CHECKS = Number(process.env.VIGIL_BENCH_CHECKS ?? 1000);

/** A generated config: CHECKS checks over four schedules, two regions for a tenth of them. */
export const generateScaleConfig = (checks = CHECKS) =>
  parseConfig({
    app: 'scale',
    environments: { prod: { baseUrl: 'https://api.example.com' } },
    defaults: { locations: ['us-east-1'] },
    checks: Array.from({ length: checks }, (_, i) => ({
      name: `check_${String(i).padStart(4, '0')}`,
      schedule: ['1m', '5m', '15m', '1h'][i % 4],
      ...(i % 10 === 0 ? { locations: ['us-east-1', 'eu-west-1'] } : {}),
      steps: [
        {
          name: 'get',
          request: { url: `{{baseUrl}}/items/${i}` },
          assert: [
            { type: 'status', value: 200 },
            { type: 'responseTime', value: '1s' },
          ],
        },
      ],
    })),
  });

const main = () => {
  const config = generateScaleConfig();
  const outdir = mkdtempSync(join(tmpdir(), 'vigil-scale-'));
  const started = performance.now();
  const app = new App({ outdir });
  createVigilStacks(app, config);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  const synthMs = performance.now() - started;

  const stacks = readdirSync(outdir)
    .filter((file) => file.endsWith('.template.json'))
    .map((file) => {
      const path = join(outdir, file);
      const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, unknown> };
      return {
        stack: file.replace('.template.json', ''),
        resources: Object.keys(template.Resources ?? {}).length,
        bytes: statSync(path).size,
      };
    });
  for (const stack of stacks) emit({ bench: 'scale', ...stack });
  const largest = Math.max(...stacks.map((stack) => stack.resources));
  const largestBytes = Math.max(...stacks.map((stack) => stack.bytes));
  emit({ bench: 'scale', metric: 'synth_time', value: round(synthMs / 1000, 2), unit: 's', checks: CHECKS });
  emit({
    bench: 'scale',
    metric: 'largest_stack_resources',
    value: largest,
    unit: 'resources',
    baseline: CFN_RESOURCE_LIMIT,
    ratio: round(largest / CFN_RESOURCE_LIMIT),
    checks: CHECKS,
    stacks: stacks.length,
    largestTemplateBytes: largestBytes,
    synthSeconds: round(synthMs / 1000, 2),
  });
};

if (require.main === module) main();
