import { join } from 'node:path';
import { AWS_LIMITS } from '../../functions/commons/aws-limits';
import { loadConfig } from '../../functions/commons/config/load-config';
import { parseConfig } from '../../functions/commons/config/resolve-config';
import type { VigilConfig } from '../../functions/commons/config/schema';
import { STACK_RESOURCE_BUDGET } from '../../stacks/stack-budget';
import { config as demoInput } from '../../vigil.config';
import {
  aslErrors,
  handlersThatDoNotLoad,
  limitViolations,
  physicalNameCollisions,
  readTemplates,
  type SynthesizedTemplate,
  stateMachineDefinitions,
  unresolvedReferences,
} from '../helpers/deploy-validity';
import { generateScaleConfig, ISSUE_SCALE } from '../helpers/scale-fixture';
import { type SynthesizedVigil, synthVigil } from '../helpers/synth-vigil';

/**
 * Deploy validity, on paper: each config is synthesized once (with cdk-nag and the deploy-limits guard)
 * and its templates are checked as a deploy into an empty account would check them.
 */

/** 20 teams, each overriding every severity with a three-level policy, repeated, in business hours. */
const escalationHeavy = (): VigilConfig => {
  const policy = {
    levels: [
      { after: '0s', channels: ['oncall-slack', 'oncall-pagerduty'] },
      { after: '5m', channels: ['oncall-sms'] },
      { after: '15m', channels: ['oncall-email'] },
    ],
    repeat: 2,
    businessHoursOnly: true,
  };
  const teams = Object.fromEntries(
    Array.from({ length: 20 }, (_, i) => [`team-${i}`, { critical: policy, warning: policy, info: policy }]),
  );
  return parseConfig({ ...demoInput, escalation: { ...demoInput.escalation!, teams } });
};

/** Each config synthesized once per test file, shared by the blocks that check it. */
const synthesized = new Map<string, SynthesizedVigil>();
const synthOnce = (name: string, makeConfig: () => VigilConfig): SynthesizedVigil => {
  const existing = synthesized.get(name);
  if (existing !== undefined) return existing;
  const synth = synthVigil(makeConfig());
  synthesized.set(name, synth);
  return synth;
};

const SCALE = 'the scale config (1,000 checks, 200 KPIs with all five alarms, 1,000 alarms)';
const scaleConfig = () => generateScaleConfig(ISSUE_SCALE);

const CONFIGS: readonly [string, () => VigilConfig, number][] = [
  ['the demo', () => loadConfig(join(__dirname, '../../vigil.config.ts')).config, 120_000],
  [SCALE, scaleConfig, 400_000],
  ['an escalation-heavy config (20 teams overriding every severity)', escalationHeavy, 120_000],
];

describe.each(CONFIGS)('%s, synthesized', (name, makeConfig, synthTimeout) => {
  let synth: SynthesizedVigil;
  let templates: SynthesizedTemplate[];
  beforeAll(() => {
    // Act: synthVigil runs cdk-nag and the deploy-limits guard (it throws on either)
    synth = synthOnce(name, makeConfig);
    templates = readTemplates(synth.outdir);
  }, synthTimeout);

  it('stays within every CloudFormation, CloudWatch, Scheduler and Step Functions limit', () => {
    // Assess
    expect(templates.length).toBeGreaterThan(3);
    expect(limitViolations(synth.outdir, templates)).toEqual([]);
  });

  it('gives every physical name to one resource per account and region', () => {
    // Assess
    expect(physicalNameCollisions(templates)).toEqual([]);
  });

  it('resolves every reference in an empty account: imports, log groups, alarms, topics', () => {
    // Prepare
    const alarmsNamed = new Set<string>();
    // Act: nothing is declared external, as in an empty account
    const problems = unresolvedReferences(templates, [], alarmsNamed);
    // Assess
    expect(problems).toEqual([]);
    expect(alarmsNamed.size).toBeGreaterThan(0);
  });

  it('bundles Lambda handlers that load and export their handler', async () => {
    // Act
    const problems = await handlersThatDoNotLoad(synth.outdir, templates);
    // Assess
    expect(problems).toEqual([]);
  }, 300_000);

  it('synthesizes state machines that an independent ASL validator accepts', () => {
    // Prepare
    const definitions = stateMachineDefinitions(templates);
    // Assess
    for (const [where, definition] of definitions) {
      expect({ where, errors: aslErrors(definition) }).toEqual({ where, errors: [] });
    }
  });
});

describe('the scale config, split into stacks', () => {
  let templates: SynthesizedTemplate[];
  beforeAll(() => {
    // Act: 200 KPIs on four schedules, each with three thresholds, an anomaly band and query-failed
    templates = readTemplates(synthOnce(SCALE, scaleConfig).outdir);
  }, 400_000);

  const kpiStacks = () => templates.filter((t) => /^scale-kpis-\d+$/.test(t.stack));
  const ofType = (type: string) =>
    templates.flatMap((t) =>
      Object.entries(t.resources)
        .filter(([, r]) => r.Type === type)
        .map(([id, r]) => ({ stack: t.stack, id, resource: r as typeof r & Record<string, unknown> })),
    );

  it('splits 1,000 KPI alarms by counted resources, each KPI stack within its budget', () => {
    // Assess
    const stacks = kpiStacks();
    expect(stacks.map((t) => t.stack)).toEqual(['scale-kpis-1', 'scale-kpis-2', 'scale-kpis-3']);
    const alarms = stacks.flatMap((t) =>
      Object.values(t.resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm'),
    );
    expect(alarms).toHaveLength(200 * 5);
    for (const stack of stacks) {
      expect({
        stack: stack.stack,
        within: Object.keys(stack.resources).length <= STACK_RESOURCE_BUDGET,
      }).toEqual({ stack: stack.stack, within: true });
    }
    expect(STACK_RESOURCE_BUDGET).toBeLessThan(AWS_LIMITS.stackResources);
  });

  it('creates one KPI schedule group, which every schedule depends on and which is deleted with its stack', () => {
    // Prepare
    const groups = ofType('AWS::Scheduler::ScheduleGroup');
    const kpiGroups = groups.filter((g) => g.resource.Properties?.Name === 'scale-kpis');
    const schedules = ofType('AWS::Scheduler::Schedule');
    // Assess: one group per purpose and region (KPIs; synthetics in each of two regions)
    expect(kpiGroups.map((g) => g.stack)).toEqual(['scale-kpis-1']);
    expect(groups.map((g) => [g.stack, g.resource.Properties?.Name]).sort()).toEqual([
      ['scale-kpis-1', 'scale-kpis'],
      ['scale-synthetics-eu-west-1', 'scale-synthetics'],
      ['scale-synthetics-us-east-1', 'scale-synthetics'],
    ]);
    for (const group of groups) expect(group.resource.DeletionPolicy).toBe('Delete');
    expect(schedules.length).toBeGreaterThan(4);
    for (const schedule of schedules) {
      const group = groups.find(
        (g) =>
          g.stack === schedule.stack &&
          g.resource.Properties?.Name === schedule.resource.Properties?.GroupName,
      );
      expect({
        schedule: schedule.id,
        dependsOnGroup: (schedule.resource.DependsOn as string[]) ?? [],
      }).toEqual({
        schedule: schedule.id,
        dependsOnGroup: expect.arrayContaining([group?.id]),
      });
    }
  });
});
