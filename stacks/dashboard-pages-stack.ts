import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  type DashboardPage,
  renderPages,
  type SplitDashboard,
} from './constructs/observability/dashboard-splitter';

/** Props for {@link DashboardPagesStack}. */
export interface DashboardPagesStackProps extends StackProps {
  /** The planned pages of every dashboard, by kind (see `DashboardsStack.dashboards`). */
  readonly plans: ReadonlyMap<string, readonly DashboardPage[]>;
  /** The pages this stack holds. */
  readonly pages: readonly DashboardPage[];
}

/**
 * Dashboard pages that did not fit in the `DashboardsStack`'s template: the same dashboards and
 * construct ids (`<kind>/Page<n>`), in a further stack of the primary region.
 */
export class DashboardPagesStack extends Stack {
  /** Pages placed in this stack, by kind. */
  public readonly placed: ReadonlyMap<string, SplitDashboard>;

  public constructor(scope: Construct, id: string, props: DashboardPagesStackProps) {
    super(scope, id, props);
    this.placed = renderPages(this, props.plans, props.pages);
  }
}
