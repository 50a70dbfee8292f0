import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedDatasource, ResolvedKpi } from '../functions/commons/config/kpi-schema';
import { KpiMonitors } from './constructs/kpi-monitors';

/** Props for {@link KpiStack}. */
export interface KpiStackProps extends StackProps {
  readonly app: string;
  /** CloudWatch namespace of Vigil's metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
  /** The KPIs whose runners, schedules and schedule group live here: every KPI in the first stack, none after. */
  readonly kpis: readonly ResolvedKpi[];
  /** The KPIs whose alarms live here. @default kpis */
  readonly alarmKpis?: readonly ResolvedKpi[];
  readonly datasources: Readonly<Record<string, ResolvedDatasource>>;
}

/**
 * Business KPI monitors. The first stack (`<app>-kpis-1`) holds the runners (one per schedule), their
 * schedules and the one schedule group, then as many KPI alarms as fit; further stacks hold the rest of
 * the alarms. {@link createVigilStacks} fills each to `STACK_RESOURCE_BUDGET` by counted resources
 * (the runners as built, {@link KpiMonitors.resourcesPerKpi} per KPI).
 */
export class KpiStack extends Stack {
  public readonly monitors: KpiMonitors;

  public constructor(scope: Construct, id: string, props: KpiStackProps) {
    super(scope, id, props);
    this.monitors = new KpiMonitors(this, 'Kpis', {
      app: props.app,
      metricsNamespace: props.metricsNamespace,
      kpis: props.kpis,
      alarmKpis: props.alarmKpis ?? props.kpis,
      datasources: props.datasources,
    });
  }
}
