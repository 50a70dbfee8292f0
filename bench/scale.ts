import { AWS_LIMITS } from '../functions/commons/aws-limits';
import {
  generateScaleConfig,
  ISSUE_SCALE,
  measureAssembly,
  type ScaleSizes,
  synthesizeScale,
  TEMPLATE_LIMIT_BYTES,
} from '../test/helpers/scale-fixture';
import { emit, round } from './_report';

/** CloudFormation's per-stack resource limit: the baseline the largest stack is compared with. */
const CFN_RESOURCE_LIMIT = AWS_LIMITS.stackResources;

const sizesFromEnv = (): ScaleSizes => {
  const read = (name: string, fallback: number) => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`${name} must be a whole number, got '${process.env[name]}'`);
    return value;
  };
  return {
    checks: read('VIGIL_BENCH_CHECKS', ISSUE_SCALE.checks),
    kpis: read('VIGIL_BENCH_KPIS', ISSUE_SCALE.kpis),
    alarms: read('VIGIL_BENCH_ALARMS', ISSUE_SCALE.alarms),
    slos: read('VIGIL_BENCH_SLOS', ISSUE_SCALE.slos),
  };
};

const main = () => {
  const sizes = sizesFromEnv();
  const { outdir, synthMs } = synthesizeScale(generateScaleConfig(sizes));
  const { stacks, dashboards } = measureAssembly(outdir);
  for (const stack of stacks) emit({ bench: 'scale', ...stack });
  for (const dashboard of dashboards) emit({ bench: 'scale', ...dashboard });
  const largest = Math.max(...stacks.map((stack) => stack.resources));
  const largestBytes = Math.max(...stacks.map((stack) => stack.bytes));
  const largestWidgets = Math.max(0, ...dashboards.map((dashboard) => dashboard.widgets));
  const largestMetrics = Math.max(0, ...dashboards.map((dashboard) => dashboard.metrics));
  const synthSeconds = round(synthMs / 1000, 2);
  emit({ bench: 'scale', metric: 'synth_time', value: synthSeconds, unit: 's', ...sizes });
  emit({
    bench: 'scale',
    metric: 'largest_stack_resources',
    value: largest,
    unit: 'resources',
    baseline: CFN_RESOURCE_LIMIT,
    ratio: round(largest / CFN_RESOURCE_LIMIT),
    ...sizes,
    largestTemplateBytes: largestBytes,
    templateLimitBytes: TEMPLATE_LIMIT_BYTES,
    largestDashboardWidgets: largestWidgets,
    largestDashboardMetrics: largestMetrics,
    dashboards: dashboards.length,
    synthSeconds,
    stacks: stacks.length,
  });
};

if (require.main === module) main();
