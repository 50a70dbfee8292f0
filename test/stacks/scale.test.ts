import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VigilStacks } from '../../stacks/vigil-stacks';
import {
  type DashboardFigures,
  generateScaleConfig,
  ISSUE_SCALE,
  measureAssembly,
  type StackFigures,
  synthesizeScale,
  TEMPLATE_LIMIT_BYTES,
} from '../helpers/scale-fixture';

describe('the issue-5 scale config (1,000 checks, 200 KPIs, 1,000 alarms, 6 SLOs)', () => {
  let outdir: string;
  let stacks: VigilStacks;
  let figures: { stacks: StackFigures[]; dashboards: DashboardFigures[] };
  beforeAll(() => {
    // Act: every stack, with cdk-nag (synth throws on an unacknowledged error)
    ({ outdir, stacks } = synthesizeScale(generateScaleConfig(ISSUE_SCALE)));
    figures = measureAssembly(outdir);
  }, 180_000);

  it('keeps every stack under 500 resources and every template under 1,000,000 bytes', () => {
    // Assess
    expect(figures.stacks.length).toBeGreaterThan(10);
    for (const stack of figures.stacks) {
      expect({ stack: stack.stack, underResourceLimit: stack.resources <= 500 }).toEqual({
        stack: stack.stack,
        underResourceLimit: true,
      });
      expect({ stack: stack.stack, underByteLimit: stack.bytes < TEMPLATE_LIMIT_BYTES }).toEqual({
        stack: stack.stack,
        underByteLimit: true,
      });
    }
  });

  it('keeps every synthesized dashboard within 500 widgets and 2,500 metrics', () => {
    // Assess
    expect(figures.dashboards.length).toBeGreaterThan(5);
    for (const dashboard of figures.dashboards) {
      expect(dashboard.widgets).toBeLessThanOrEqual(500);
      expect(dashboard.metrics).toBeLessThanOrEqual(2500);
    }
  });

  it('spreads the dashboard pages over several stacks, the saved queries in the first', () => {
    // Prepare
    const observability = stacks.observability;
    const first = JSON.parse(
      readFileSync(join(outdir, `${observability.dashboards?.stackName}.template.json`), 'utf8'),
    ) as { Resources: Record<string, { Type: string }> };
    // Assess
    expect(observability.dashboards?.stackName).toBe('scale-observability');
    expect(observability.dashboardParts.map((stack) => stack.stackName)).toEqual(
      observability.dashboardParts.map((_, index) => `scale-observability-${index + 2}`),
    );
    expect(observability.dashboardParts.length).toBeGreaterThan(1);
    expect(
      Object.values(first.Resources).filter((r) => r.Type === 'AWS::Logs::QueryDefinition'),
    ).toHaveLength(3);
    for (const part of observability.dashboardParts) {
      const stack = figures.stacks.find((figure) => figure.stack === part.stackName);
      expect(stack?.resources).toBeGreaterThan(0);
    }
  });

  it('synthesizes each planned page once, under its planned name, with the planned widget and metric counts', () => {
    // Prepare
    const planned = observabilityPages(stacks);
    // Assess: the planner counts widgets as CloudWatch does (layouts expanded)
    expect(
      figures.dashboards
        .map((d) => ({ name: d.dashboard, widgets: d.widgets, metrics: d.metrics }))
        .sort(byName),
    ).toEqual(planned.map(({ name, widgets, metrics }) => ({ name, widgets, metrics })).sort(byName));
    expect(planned.map((page) => page.name)).toEqual(
      expect.arrayContaining([
        'scale-control-tower',
        'scale-engine-room',
        'scale-engine-room-2',
        'scale-synthetics-2',
      ]),
    );
  });
});

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

const observabilityPages = (stacks: VigilStacks) => [...(stacks.observability.dashboards?.pages ?? [])];
