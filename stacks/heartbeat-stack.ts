import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedHeartbeat } from '../functions/commons/config/heartbeat-schema';
import { HeartbeatMonitors } from './constructs/heartbeats/heartbeat-monitors';

/** Props for {@link HeartbeatStack}. */
export interface HeartbeatStackProps extends StackProps {
  readonly app: string;
  /** CloudWatch namespace of Vigil's metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
  readonly heartbeats: readonly ResolvedHeartbeat[];
}

/** Heartbeat monitors of an app, in the primary region beside the escalation engine. */
export class HeartbeatStack extends Stack {
  public readonly monitors: HeartbeatMonitors;

  public constructor(scope: Construct, id: string, props: HeartbeatStackProps) {
    super(scope, id, props);
    this.monitors = new HeartbeatMonitors(this, 'Heartbeats', {
      app: props.app,
      metricsNamespace: props.metricsNamespace,
      heartbeats: props.heartbeats,
    });
  }
}
