import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RunnerConfig } from '../functions/synthetics/types/runner-config';
import { type RunnerVpcPlacement, SyntheticsRunner } from './constructs/synthetics-runner';

/** Props for {@link SyntheticsStack}. */
export interface SyntheticsStackProps extends StackProps {
  readonly runnerConfig: RunnerConfig;
  /** Lambda memory in MB. @default 512 */
  readonly memorySize?: number;
  /** Run inside a VPC. @default no VPC */
  readonly vpc?: RunnerVpcPlacement;
  /** CloudWatch namespace of Vigil's metrics (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
}

/** The synthetics runner of one location (region). One per location, from the same config. */
export class SyntheticsStack extends Stack {
  public readonly runner: SyntheticsRunner;

  public constructor(scope: Construct, id: string, props: SyntheticsStackProps) {
    super(scope, id, props);
    this.runner = new SyntheticsRunner(this, 'Runner', {
      runnerConfig: props.runnerConfig,
      metricsNamespace: props.metricsNamespace,
      ...(props.memorySize !== undefined ? { memorySize: props.memorySize } : {}),
      ...(props.vpc !== undefined ? { vpc: props.vpc } : {}),
    });
  }
}
