import { Duration } from 'aws-cdk-lib';
import { Dashboard, type IWidget, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

/** CloudWatch's per-dashboard limits: 500 widgets, 2,500 metrics (expressions included). */
export const DASHBOARD_LIMITS = { maxWidgets: 500, maxMetrics: 2500 } as const;

/** Limits a page must stay within. */
export interface DashboardLimits {
  readonly maxWidgets: number;
  readonly maxMetrics: number;
}

type MetricEntry = unknown[];

/**
 * How many metrics a widget contributes to its dashboard's 2,500 limit: every entry of its `metrics`
 * array (metrics and math expressions alike), plus the metric of a single-metric alarm widget.
 *
 * @example
 * widgetMetricCount(new GraphWidget({ left: [a, b] })); // 2
 */
export const widgetMetricCount = (widget: IWidget): number =>
  widget
    .toJson()
    .reduce(
      (
        sum: number,
        json: { properties?: { metrics?: MetricEntry[]; annotations?: { alarms?: unknown[] } } },
      ) => {
        const metrics = json.properties?.metrics?.length ?? 0;
        return sum + metrics;
      },
      0,
    );

/** A widget and its metric count. */
export interface SizedSection {
  readonly widgets: readonly IWidget[];
  readonly metrics: number;
}

/**
 * Packs sections (widgets that belong together, e.g. one check's graphs) into pages within the limits,
 * keeping each section whole when it fits in a page, in order. A section larger than a page is split
 * widget by widget. `reserve` widgets per page are kept free (for the page header).
 *
 * @throws {Error} when a single widget alone exceeds the metric limit
 * @example
 * paginate([[graphA, graphB], [graphC]], { maxWidgets: 500, maxMetrics: 2500 }, 1);
 */
export const paginate = (
  sections: readonly (readonly IWidget[])[],
  limits: DashboardLimits,
  reserve = 0,
): IWidget[][] => {
  const maxWidgets = limits.maxWidgets - reserve;
  const pages: IWidget[][] = [];
  let page: IWidget[] = [];
  let pageMetrics = 0;
  const flush = () => {
    if (page.length > 0) pages.push(page);
    page = [];
    pageMetrics = 0;
  };
  const sized = sections.map((widgets) => ({ widgets, counts: widgets.map(widgetMetricCount) }));
  for (const { widgets, counts } of sized) {
    const metrics = counts.reduce((a, b) => a + b, 0);
    if (widgets.length <= maxWidgets && metrics <= limits.maxMetrics) {
      if (page.length + widgets.length > maxWidgets || pageMetrics + metrics > limits.maxMetrics) flush();
      page.push(...widgets);
      pageMetrics += metrics;
      continue;
    }
    widgets.forEach((widget, index) => {
      const count = counts[index] ?? 0;
      if (count > limits.maxMetrics)
        throw new Error(`a widget has ${count} metrics, over the dashboard limit of ${limits.maxMetrics}`);
      if (page.length + 1 > maxWidgets || pageMetrics + count > limits.maxMetrics) flush();
      page.push(widget);
      pageMetrics += count;
    });
  }
  flush();
  return pages;
};

/** Props for {@link SplitDashboard}. */
export interface SplitDashboardProps {
  /** Dashboard name; pages after the first are suffixed `-2`, `-3` ... */
  readonly dashboardName: string;
  /** Markdown shown at the top of every page. */
  readonly header: string;
  readonly sections: readonly (readonly IWidget[])[];
  /** @default DASHBOARD_LIMITS */
  readonly limits?: DashboardLimits;
  /** Default time range, e.g. `Duration.hours(3)`. @default 3 hours */
  readonly range?: Duration;
}

/**
 * A dashboard that splits itself into numbered pages when its widgets would pass CloudWatch's limits
 * (500 widgets, 2,500 metrics per dashboard). Each page starts with the header and links to the others.
 *
 * @example
 * new SplitDashboard(this, 'Synthetics', { dashboardName: 'shop-synthetics', header: '# Synthetics', sections });
 */
export class SplitDashboard extends Construct {
  public readonly dashboards: readonly Dashboard[];
  /** Widgets and metrics per page, for reports and tests. */
  public readonly pages: readonly {
    readonly name: string;
    readonly widgets: number;
    readonly metrics: number;
  }[];

  public constructor(scope: Construct, id: string, props: SplitDashboardProps) {
    super(scope, id);
    const pages = paginate(props.sections, props.limits ?? DASHBOARD_LIMITS, 1);
    if (pages.length === 0) pages.push([]);
    const names = pages.map((_, index) =>
      index === 0 ? props.dashboardName : `${props.dashboardName}-${index + 1}`,
    );
    const links =
      names.length > 1
        ? `\n\nPages: ${names.map((name, i) => `[${i + 1}](#dashboards:name=${name})`).join(' · ')}`
        : '';
    this.dashboards = pages.map(
      (widgets, index) =>
        new Dashboard(this, `Page${index + 1}`, {
          dashboardName: names[index],
          defaultInterval: props.range ?? Duration.hours(3),
          widgets: [[new TextWidget({ markdown: `${props.header}${links}`, width: 24, height: 2 })], widgets],
        }),
    );
    this.pages = pages.map((widgets, index) => ({
      name: names[index] as string,
      widgets: widgets.length + 1,
      metrics: widgets.reduce((sum, widget) => sum + widgetMetricCount(widget), 0),
    }));
  }
}
