import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedCheck } from '../functions/commons/config/types';
import { CheckAlarmExtras } from './constructs/observability/check-alarm-extras';

/** Props for {@link CheckAlarmExtrasStack}. */
export interface CheckAlarmExtrasStackProps extends StackProps {
  readonly app: string;
  /** CloudWatch namespace of Vigil's metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
  /** Checks of one region (split by `CheckAlarmExtras.resourcesFor`). */
  readonly checks: readonly ResolvedCheck[];
}

/** Degraded-latency alarms of one region's checks, in chunks beside the failure alarms. */
export class CheckAlarmExtrasStack extends Stack {
  public readonly extras: CheckAlarmExtras;

  public constructor(scope: Construct, id: string, props: CheckAlarmExtrasStackProps) {
    super(scope, id, props);
    this.extras = new CheckAlarmExtras(this, 'Degraded', {
      app: props.app,
      metricsNamespace: props.metricsNamespace,
      checks: props.checks,
    });
  }
}
