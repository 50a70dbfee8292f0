import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  Architecture,
  type CfnFunction,
  Code,
  LoggingFormat,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LAMBDA_METRICS_ENV } from '../../functions/commons/metrics/metric-catalog';
import type { BundledJsonHooks } from './bundled-json';

/** Props for {@link VigilFunction}: NodejsFunction props plus Vigil's defaults. */
export interface VigilFunctionProps extends Omit<NodejsFunctionProps, 'entry'> {
  /** Absolute path of the handler file. */
  readonly entry: string;
  /** Powertools service name (`POWERTOOLS_SERVICE_NAME`). */
  readonly serviceName: string;
  /** The config's `app`: the `App` dimension of the function's metrics (`VIGIL_APP`). */
  readonly app: string;
  /** The config's `metricsNamespace` (`POWERTOOLS_METRICS_NAMESPACE`). */
  readonly metricsNamespace: string;
  /** How long logs are kept. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/**
 * Where the package build (`npm run build`) puts an entry's pre-bundled handler: `<entry>.lambda/index.js`
 * with its source map, built with the same esbuild options as below.
 */
export const prebuiltDirOf = (entry: string): string => entry.replace(/\.[cm]?[jt]sx?$/, '.lambda');

/**
 * The code of an installed package's handler: its pre-bundled directory, with the files the bundling hooks
 * would add (the config as JSON) copied beside it, so no toolchain rebuilds it. Undefined in a source
 * checkout, where the entry exists and esbuild bundles it.
 */
const prebuiltCode = (entry: string, commandHooks: unknown): Code | undefined => {
  if (existsSync(entry)) return undefined;
  const dir = prebuiltDirOf(entry);
  if (!existsSync(join(dir, 'index.js'))) {
    throw new Error(
      `no handler at ${entry} and no pre-bundled one in ${dir}: build the package (npm run build)`,
    );
  }
  const files = Object.entries((commandHooks as Partial<BundledJsonHooks> | undefined)?.files ?? {});
  if (files.length === 0) return Code.fromAsset(dir);
  const hash = createHash('sha256').update(dir);
  for (const [name, source] of files) hash.update(name).update(readFileSync(source));
  const stage = join(tmpdir(), 'vigil-prebuilt', hash.digest('hex').slice(0, 16));
  mkdirSync(stage, { recursive: true });
  for (const name of ['index.js', 'index.js.map']) copyFileSync(join(dir, name), join(stage, name));
  for (const [name, source] of files) copyFileSync(source, join(stage, name));
  return Code.fromAsset(stage);
};

const MANAGED_POLICY = 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role';

/**
 * A Lambda with Vigil's defaults: newest Node runtime, arm64, active X-Ray tracing, JSON logs into a
 * log group with retention, minified CJS bundle built by the local esbuild (no Docker; the runtime provides `@aws-sdk/*`),
 * source maps, Powertools environment.
 */
export class VigilFunction extends NodejsFunction {
  public constructor(scope: Construct, id: string, props: VigilFunctionProps) {
    const { app, serviceName, metricsNamespace, logRetention, environment, bundling, ...rest } = props;
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const code = prebuiltCode(props.entry, bundling?.commandHooks);
    super(scope, id, {
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      memorySize: 512,
      timeout: Duration.minutes(1),
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      ...rest,
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceName,
        [LAMBDA_METRICS_ENV.namespace]: metricsNamespace,
        [LAMBDA_METRICS_ENV.app]: app,
        NODE_OPTIONS: '--enable-source-maps',
        ...environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node24',
        format: OutputFormat.CJS,
        forceDockerBundling: false,
        ...bundling,
      },
      ...(code !== undefined ? { code, handler: 'index.handler' } : {}),
    });
    // Findings every Vigil function raises by design, acknowledged once here with their reasons.
    Validations.of(this).acknowledge(
      {
        id: `AwsSolutions-IAM4[${MANAGED_POLICY}/AWSLambdaBasicExecutionRole]`,
        reason: 'The AWS managed basic execution role only allows writing to the function log group.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) support no resource-level permissions.',
      },
    );
    if (rest.vpc !== undefined) {
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM4[${MANAGED_POLICY}/AWSLambdaVPCAccessExecutionRole]`,
        reason: 'The AWS managed VPC access role only manages the function network interfaces.',
      });
    }
  }

  /**
   * Acknowledges the `<function ARN>:*` finding that `grantInvoke` raises on the caller's role (EventBridge
   * Scheduler, an event rule): it covers this function's versions and aliases only.
   */
  public acknowledgeInvokeOfVersions(caller: string): void {
    const stack = Stack.of(this);
    Validations.of(stack).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.node.defaultChild as CfnFunction)}.Arn>:*]`,
      reason: `${caller}; ":*" covers its versions and aliases.`,
    });
  }
}
