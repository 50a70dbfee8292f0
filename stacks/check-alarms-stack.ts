import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { CertificateWatch } from '../functions/commons/alarm-settings';
import type { ResolvedCheck } from '../functions/commons/config/types';
import { AlarmEventForwarder } from './constructs/alarm-event-forwarder';
import { CheckAlarms } from './constructs/check-alarms';

/** Props for {@link CheckAlarmsStack}. */
export interface CheckAlarmsStackProps extends StackProps {
  readonly app: string;
  /** CloudWatch namespace of Vigil's metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
  /** The checks of one region whose alarms live here (see `CheckAlarms.resourcesFor`). */
  readonly checks: readonly ResolvedCheck[];
  /** The certificate alarms owned by these checks in this region (see `CheckAlarmsProps.certificates`). @default none */
  readonly certificates?: readonly CertificateWatch[];
  /** When set and not this stack's region: forward alarm events there, to the escalation engine. */
  readonly primaryRegion?: string;
}

/**
 * Check alarms of one region, in chunks: alarms are the one resource that grows per check, so they live
 * apart from the runner and split across stacks by their counted resources
 * (`CheckAlarms.resourcesFor`, plus `AlarmEventForwarder.RESOURCES` in a forwarding stack) to stay within
 * `STACK_RESOURCE_BUDGET`.
 */
export class CheckAlarmsStack extends Stack {
  public readonly checkAlarms: CheckAlarms;

  public constructor(scope: Construct, id: string, props: CheckAlarmsStackProps) {
    super(scope, id, props);
    this.checkAlarms = new CheckAlarms(this, 'CheckAlarms', {
      app: props.app,
      metricsNamespace: props.metricsNamespace,
      checks: props.checks,
      ...(props.certificates !== undefined ? { certificates: props.certificates } : {}),
    });
    if (props.primaryRegion !== undefined && props.primaryRegion !== this.region) {
      new AlarmEventForwarder(this, 'ForwardAlarmEvents', {
        app: props.app,
        primaryRegion: props.primaryRegion,
      });
    }
  }
}
