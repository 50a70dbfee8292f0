import { App, Duration, Stack } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, Metric, Row } from 'aws-cdk-lib/aws-cloudwatch';
import {
  placeDashboardPages,
  STACK_OVERHEAD_BYTES,
} from '../../../stacks/constructs/observability/dashboard-placement';
import {
  type DashboardPage,
  paginate,
  planDashboard,
  widgetCount,
  widgetTemplateBytes,
} from '../../../stacks/constructs/observability/dashboard-splitter';

const graph = (metrics: number, name = 'm') =>
  new GraphWidget({
    left: Array.from(
      { length: metrics },
      (_, i) => new Metric({ namespace: 'N', metricName: `${name}${i}` }),
    ),
  });

const page = (name: string, bytes: number): DashboardPage => ({
  dashboardName: name,
  number: 1,
  name,
  range: Duration.hours(3),
  rows: [],
  widgets: 1,
  metrics: 0,
  bytes,
});

describe('dashboard page placement', () => {
  it('fills stacks in order and opens the next one when the budget would be passed', () => {
    // Prepare
    const budget = STACK_OVERHEAD_BYTES + 1_000;
    const pages = [page('a', 400), page('b', 500), page('c', 200), page('d', 900), page('e', 50)];
    // Act
    const stacks = placeDashboardPages(pages, { budgetBytes: budget });
    // Assess
    expect(stacks.map((stack) => stack.map((p) => p.name))).toEqual([['a', 'b'], ['c'], ['d', 'e']]);
  });

  it('counts the first stack other content against its budget', () => {
    const budget = STACK_OVERHEAD_BYTES + 1_000;
    const stacks = placeDashboardPages([page('a', 600), page('b', 300)], {
      budgetBytes: budget,
      firstStackBytes: 500,
    });
    expect(stacks.map((stack) => stack.map((p) => p.name))).toEqual([[], ['a', 'b']]);
  });

  it('keeps a small set of pages in one stack', () => {
    expect(placeDashboardPages([page('a', 30_000), page('b', 40_000)])).toHaveLength(1);
  });

  it('opens a new stack after the most pages per stack', () => {
    const stacks = placeDashboardPages([page('a', 1), page('b', 1), page('c', 1)], { maxPagesPerStack: 2 });
    expect(stacks.map((stack) => stack.length)).toEqual([2, 1]);
  });

  it('refuses a page larger than a whole stack budget, naming it', () => {
    expect(() => placeDashboardPages([page('huge', 2_000_000)])).toThrow(
      /dashboard page 'huge' takes ~2000000/,
    );
  });
});

describe('dashboard page sizing', () => {
  it('counts each widget of a layout towards the 500-widget limit', () => {
    // Prepare: 200 rows of 3 graphs = 600 widgets, as cdk-monitoring-constructs returns them
    const sections = Array.from({ length: 200 }, () => [new Row(graph(1), graph(1), graph(1))]);
    // Act
    const pages = paginate(sections, { maxWidgets: 500, maxMetrics: 2500 }, 1);
    // Assess
    expect(widgetCount(new Row(graph(1), graph(1)))).toBe(2);
    expect(pages.map((p) => p.reduce((sum, widget) => sum + widgetCount(widget), 0))).toEqual([498, 102]);
  });

  it('splits pages by estimated template bytes when given a byte limit', () => {
    // Prepare
    const stack = new Stack(new App(), 'S', { env: { region: 'us-east-1' } });
    const widgets = Array.from({ length: 40 }, (_, i) => [graph(5, `metric_${i}_`)]);
    const each = widgetTemplateBytes(stack, widgets[0]![0]!);
    // Act
    const pages = paginate(
      widgets,
      { maxWidgets: 500, maxMetrics: 2500, maxBytes: each * 10 + 100 },
      0,
      (w) => widgetTemplateBytes(stack, w),
    );
    // Assess
    expect(pages.map((p) => p.length)).toEqual([10, 10, 10, 10]);
  });

  it('overestimates a page, never underestimates it, against the synthesized template', () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, 'S', { env: { region: 'us-east-1' } });
    const sections = Array.from({ length: 50 }, (_, i) => [graph(3, `m${i}_`), graph(2, `n${i}_`)]);
    // Act
    const [planned] = planDashboard(stack, { dashboardName: 'd', header: '# D', sections });
    new Dashboard(stack, 'Page1', { dashboardName: 'd', widgets: planned!.rows.map((row) => [...row]) });
    const template = app.synth().getStackByName('S').template as { Resources: Record<string, unknown> };
    const [resource] = Object.values(template.Resources).filter(
      (r) => (r as { Type: string }).Type === 'AWS::CloudWatch::Dashboard',
    );
    const actual = JSON.stringify({ Resource: resource }, undefined, 1).length;
    // Assess
    expect(planned!.bytes).toBeGreaterThanOrEqual(actual);
    expect(planned!.bytes).toBeLessThan(actual * 1.5);
  });
});
