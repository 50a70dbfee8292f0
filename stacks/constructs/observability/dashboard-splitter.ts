import { Duration, Stack } from 'aws-cdk-lib';
import { Dashboard, type IWidget, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

/** CloudWatch's per-dashboard limits: 500 widgets, 2,500 metrics (expressions included). */
export const DASHBOARD_LIMITS = { maxWidgets: 500, maxMetrics: 2500 } as const;

/** Limits a page must stay within. */
export interface DashboardLimits {
  readonly maxWidgets: number;
  readonly maxMetrics: number;
  /** Estimated template bytes of one page (see {@link widgetTemplateBytes}). @default no limit */
  readonly maxBytes?: number;
}

type WidgetJson = { properties?: { metrics?: unknown[] } };

/**
 * How many widgets a widget puts on its dashboard: 1, or for a layout (a `Row`/`Column`, as
 * cdk-monitoring-constructs' monitors return) every widget inside it.
 *
 * @example
 * widgetCount(new Row(graphA, graphB)); // 2
 */
export const widgetCount = (widget: IWidget): number => widget.toJson().length;

/**
 * How many metrics a widget contributes to its dashboard's 2,500 limit: every entry of its `metrics`
 * array (metrics and math expressions alike), summed over the widgets of a layout.
 *
 * @example
 * widgetMetricCount(new GraphWidget({ left: [a, b] })); // 2
 */
export const widgetMetricCount = (widget: IWidget): number =>
  widget.toJson().reduce((sum: number, json: WidgetJson) => sum + (json.properties?.metrics?.length ?? 0), 0);

/** Template bytes a CloudFormation token (Ref, GetAtt ...) takes as its own element of the body's Fn::Join. */
const TOKEN_BYTES = 80;
/** Template bytes of a widget's position (`"x":16,"y":1234,`, escaped) and separators. */
const POSITION_BYTES = 40;
const TOKEN_PATTERN = /\{"(?:Ref|Fn::[A-Za-z]+)":/g;

/**
 * Estimated bytes a widget adds to its stack's template: the dashboard body is a JSON string inside the
 * template (every quote escaped), split into an `Fn::Join` around each token (region, partition, imported
 * ARNs). Resolved in `stack`; errs on the large side.
 *
 * @example
 * widgetTemplateBytes(Stack.of(this), new GraphWidget({ left: [metric] })); // ~ 400
 */
export const widgetTemplateBytes = (stack: Stack, widget: IWidget): number => {
  const text = JSON.stringify(stack.resolve(widget.toJson()));
  const tokens = text.match(TOKEN_PATTERN)?.length ?? 0;
  return JSON.stringify(text).length + tokens * TOKEN_BYTES + widgetCount(widget) * POSITION_BYTES;
};

/**
 * Packs sections (widgets that belong together, e.g. one check's graphs) into pages within the limits,
 * keeping each section whole when it fits in a page, in order. A section larger than a page is split
 * widget by widget. `reserve` widgets per page are kept free (for the page header). Widgets are counted
 * as they render (a layout counts each widget inside it); bytes are counted only with `limits.maxBytes`
 * and a `sizeOf`.
 *
 * @throws {Error} when a single widget alone exceeds a page's metric or byte limit
 * @example
 * paginate([[graphA, graphB], [graphC]], { maxWidgets: 500, maxMetrics: 2500 }, 1);
 */
export const paginate = (
  sections: readonly (readonly IWidget[])[],
  limits: DashboardLimits,
  reserve = 0,
  sizeOf: (widget: IWidget) => number = () => 0,
): IWidget[][] => {
  const maxWidgets = limits.maxWidgets - reserve;
  const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  const pages: IWidget[][] = [];
  let page: IWidget[] = [];
  let used = { widgets: 0, metrics: 0, bytes: 0 };
  const flush = () => {
    if (page.length > 0) pages.push(page);
    page = [];
    used = { widgets: 0, metrics: 0, bytes: 0 };
  };
  const fits = (add: { widgets: number; metrics: number; bytes: number }) =>
    used.widgets + add.widgets <= maxWidgets &&
    used.metrics + add.metrics <= limits.maxMetrics &&
    used.bytes + add.bytes <= maxBytes;
  const place = (widgets: readonly IWidget[], add: { widgets: number; metrics: number; bytes: number }) => {
    if (!fits(add)) flush();
    page.push(...widgets);
    used = {
      widgets: used.widgets + add.widgets,
      metrics: used.metrics + add.metrics,
      bytes: used.bytes + add.bytes,
    };
  };
  for (const widgets of sections) {
    const sized = widgets.map((widget) => ({
      widget,
      widgets: widgetCount(widget),
      metrics: widgetMetricCount(widget),
      bytes: sizeOf(widget),
    }));
    const total = sized.reduce(
      (sum, item) => ({
        widgets: sum.widgets + item.widgets,
        metrics: sum.metrics + item.metrics,
        bytes: sum.bytes + item.bytes,
      }),
      { widgets: 0, metrics: 0, bytes: 0 },
    );
    if (total.widgets <= maxWidgets && total.metrics <= limits.maxMetrics && total.bytes <= maxBytes) {
      place(widgets, total);
      continue;
    }
    for (const item of sized) {
      if (item.metrics > limits.maxMetrics)
        throw new Error(
          `a widget has ${item.metrics} metrics, over the dashboard limit of ${limits.maxMetrics}`,
        );
      if (item.widgets > maxWidgets)
        throw new Error(`a layout has ${item.widgets} widgets, over the dashboard limit of ${maxWidgets}`);
      if (item.bytes > maxBytes)
        throw new Error(`a widget takes ~${item.bytes} template bytes, over the page limit of ${maxBytes}`);
      place([item.widget], item);
    }
  }
  flush();
  return pages;
};

/** What to split into pages: {@link planDashboard}'s input. */
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

/** One page of a split dashboard, planned but not yet placed in a stack. */
export interface DashboardPage {
  /** The split dashboard's name (its first page's). */
  readonly dashboardName: string;
  /** Page number from 1. */
  readonly number: number;
  /** This page's dashboard name: `dashboardName`, then `dashboardName-2` ... */
  readonly name: string;
  readonly range: Duration;
  /** The page's rows: the header, then the widgets. */
  readonly rows: readonly (readonly IWidget[])[];
  /** Widgets as rendered, header included. */
  readonly widgets: number;
  /** Metrics and expressions, as CloudWatch counts them. */
  readonly metrics: number;
  /** Estimated template bytes of the page's `AWS::CloudWatch::Dashboard` resource. */
  readonly bytes: number;
}

/** Template bytes of a dashboard resource around its widgets (type, name, start, logical id). */
const PAGE_OVERHEAD_BYTES = 600;

/**
 * Splits a dashboard into numbered pages within the limits (500 widgets, 2,500 metrics, and with
 * `limits.maxBytes` an estimated template size). Each page starts with the header, which links to the
 * other pages. Widgets are sized in `scope`'s stack.
 *
 * @example
 * const pages = planDashboard(this, { dashboardName: 'shop-synthetics', header: '# Synthetics', sections });
 */
export const planDashboard = (scope: Construct, props: SplitDashboardProps): DashboardPage[] => {
  const stack = Stack.of(scope);
  const limits: DashboardLimits = props.limits ?? DASHBOARD_LIMITS;
  const sizeOf = (widget: IWidget) => widgetTemplateBytes(stack, widget);
  // Room for the header, its links to every page included (~ 60 bytes a page, up to 100 pages).
  const headerBytes = PAGE_OVERHEAD_BYTES + sizeOf(new TextWidget({ markdown: props.header })) + 6_000;
  const maxBytes = limits.maxBytes !== undefined ? limits.maxBytes - headerBytes : undefined;
  const pages = paginate(
    props.sections,
    { ...limits, ...(maxBytes !== undefined ? { maxBytes } : {}) },
    1,
    limits.maxBytes !== undefined ? sizeOf : undefined,
  );
  if (pages.length === 0) pages.push([]);
  const names = pages.map((_, index) =>
    index === 0 ? props.dashboardName : `${props.dashboardName}-${index + 1}`,
  );
  const links =
    names.length > 1
      ? `\n\nPages: ${names.map((name, i) => `[${i + 1}](#dashboards:name=${name})`).join(' · ')}`
      : '';
  return pages.map((widgets, index) => {
    const header = new TextWidget({ markdown: `${props.header}${links}`, width: 24, height: 2 });
    return {
      dashboardName: props.dashboardName,
      number: index + 1,
      name: names[index] as string,
      range: props.range ?? Duration.hours(3),
      rows: [[header], widgets],
      widgets: 1 + widgets.reduce((sum, widget) => sum + widgetCount(widget), 0),
      metrics: widgets.reduce((sum, widget) => sum + widgetMetricCount(widget), 0),
      bytes: PAGE_OVERHEAD_BYTES + sizeOf(header) + widgets.reduce((sum, widget) => sum + sizeOf(widget), 0),
    };
  });
};

/** Props for {@link SplitDashboard}. */
export interface SplitDashboardPagesProps {
  /** Pages of one split dashboard (all of them, or those placed in this stack). */
  readonly pages: readonly DashboardPage[];
}

/**
 * The pages of a dashboard split by {@link planDashboard} (500 widgets, 2,500 metrics per dashboard, and a
 * template size) that live in one stack: a `Dashboard` named after each page, with construct id
 * `Page<number>`, so a page keeps its logical id whichever stack holds it.
 *
 * @example
 * new SplitDashboard(this, 'synthetics', { pages: planDashboard(this, { dashboardName: 'shop-synthetics', header: '# Synthetics', sections }) });
 */
export class SplitDashboard extends Construct {
  public readonly dashboards: readonly Dashboard[];
  /** Widgets and metrics per page, for reports and tests. */
  public readonly pages: readonly DashboardPage[];

  public constructor(scope: Construct, id: string, props: SplitDashboardPagesProps) {
    super(scope, id);
    this.pages = props.pages;
    this.dashboards = props.pages.map(
      (page) =>
        new Dashboard(this, `Page${page.number}`, {
          dashboardName: page.name,
          defaultInterval: page.range,
          widgets: page.rows.map((row) => [...row]),
        }),
    );
  }
}

/**
 * Renders the placed pages of each planned dashboard in `scope`, one {@link SplitDashboard} per kind (the
 * dashboards stack and each further pages stack hold some pages of each).
 *
 * @example
 * renderPages(stack, plans, pagesPlacedHere);
 */
export const renderPages = (
  scope: Construct,
  plans: ReadonlyMap<string, readonly DashboardPage[]>,
  placed: readonly DashboardPage[],
): Map<string, SplitDashboard> => {
  const here = new Set(placed);
  const rendered = new Map<string, SplitDashboard>();
  for (const [kind, pages] of plans) {
    const mine = pages.filter((page) => here.has(page));
    if (mine.length > 0) rendered.set(kind, new SplitDashboard(scope, kind, { pages: mine }));
  }
  return rendered;
};
