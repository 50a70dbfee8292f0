import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedDatasource, ResolvedKpi } from '../functions/commons/config/kpi-schema';
import { KpiMonitors } from './constructs/kpi-monitors';

/** Props for {@link KpiStack}. */
export interface KpiStackProps extends StackProps {
  readonly app: string;
  /** The KPIs of this stack (at most {@link KpiStack.MAX_KPIS}). */
  readonly kpis: readonly ResolvedKpi[];
  readonly datasources: Readonly<Record<string, ResolvedDatasource>>;
}

/**
 * Business KPI monitors: runners per schedule group and the KPIs' alarms. KPIs are split across stacks in
 * chunks, since each brings up to three alarms and CloudFormation allows 500 resources per stack.
 */
export class KpiStack extends Stack {
  /** KPIs per stack: at most 3 alarms each, plus a few runners, stays well under 500 resources. */
  public static readonly MAX_KPIS = 120;
  public readonly monitors: KpiMonitors;

  public constructor(scope: Construct, id: string, props: KpiStackProps) {
    super(scope, id, props);
    this.monitors = new KpiMonitors(this, 'Kpis', {
      app: props.app,
      kpis: props.kpis,
      datasources: props.datasources,
    });
  }
}
