import { Stack } from 'aws-cdk-lib';
import { GraphWidget, type IWidget, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { DatabaseCluster, DatabaseInstance } from 'aws-cdk-lib/aws-rds';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import {
  AlarmFactory,
  AwsConsoleUrlFactory,
  DefaultWidgetFactory,
  type IWidgetFactory,
  LambdaFunctionMonitoring,
  MetricFactory,
  MonitoringScope,
  RdsClusterMonitoring,
  RdsInstanceMonitoring,
  SqsQueueMonitoring,
  StepFunctionMonitoring,
} from 'cdk-monitoring-constructs';
import type { Construct } from 'constructs';
import type { ApiRefConfig } from '../../../functions/commons/config/observability-schema';
import { apiMetric } from './metric-sources';

/**
 * A cdk-monitoring-constructs scope that only lends its monitors' widgets to Vigil's dashboards: it creates
 * no dashboards and no alarms (Vigil's alarms come from the rule catalog, named and tagged for routing).
 */
export class WidgetOnlyMonitoringScope extends MonitoringScope {
  public createWidgetFactory(): IWidgetFactory {
    return new DefaultWidgetFactory();
  }

  public createMetricFactory(): MetricFactory {
    return new MetricFactory(this, { globalDefaults: {} });
  }

  public createAlarmFactory(alarmNamePrefix: string): AlarmFactory {
    return new AlarmFactory(this, {
      globalAlarmDefaults: { alarmNamePrefix, actionsEnabled: false },
      globalMetricDefaults: {},
      localAlarmNamePrefix: alarmNamePrefix,
    });
  }

  public createAwsConsoleUrlFactory(): AwsConsoleUrlFactory {
    const stack = Stack.of(this);
    return new AwsConsoleUrlFactory({ awsAccountId: stack.account, awsAccountRegion: stack.region });
  }
}

/** The AWS resources the Engine Room shows. */
export interface EngineRoomResources {
  readonly lambdaFunctions: readonly string[];
  readonly queues: readonly string[];
  readonly apis: readonly ApiRefConfig[];
  readonly dbInstances: readonly string[];
  readonly dbClusters: readonly string[];
  readonly stateMachineArns: readonly string[];
}

const idOf = (text: string): string => text.replace(/[^A-Za-z0-9]/g, '');

/**
 * RED widgets of one API Gateway REST API: requests, 5xx rate, latency p50/p95/p99.
 *
 * @example
 * apiWidgets({ apiName: 'flights', stage: 'prod' });
 */
export const apiWidgets = (api: ApiRefConfig): IWidget[] => {
  const period = 60_000;
  const title = `API ${api.apiName}${api.stage !== undefined ? ` (${api.stage})` : ''}`;
  return [
    new GraphWidget({
      title: `${title}: requests`,
      left: [apiMetric(api, 'Count', 'Sum', period)],
      width: 8,
    }),
    new GraphWidget({
      title: `${title}: 5xx rate (%)`,
      left: [
        new MathExpression({
          expression: 'IF(total > 0, 100 * errors / total, 0)',
          usingMetrics: {
            errors: apiMetric(api, '5XXError', 'Sum', period),
            total: apiMetric(api, 'Count', 'Sum', period),
          },
          label: '5xx %',
        }),
      ],
      width: 8,
    }),
    new GraphWidget({
      title: `${title}: latency`,
      left: (['p50', 'p95', 'p99'] as const).map((stat) =>
        apiMetric(api, 'Latency', stat, period).with({ label: stat }),
      ),
      width: 8,
    }),
  ];
};

/**
 * The Engine Room's resource health widgets. Lambda, SQS, RDS and Step Functions widgets come from
 * cdk-monitoring-constructs' monitors (their well-tested metric choices and layouts); API Gateway RED
 * widgets are built here because those monitors need the API construct, not only its name.
 *
 * @example
 * const widgets = resourceWidgets(scope, { lambdaFunctions: ['checkout'], queues: [], apis: [], dbInstances: [], dbClusters: [], stateMachineArns: [] });
 */
export const resourceWidgets = (scope: Construct, resources: EngineRoomResources): IWidget[][] => {
  const stack = Stack.of(scope);
  const monitoring = new WidgetOnlyMonitoringScope(scope, 'ResourceMonitoring');
  const sections: IWidget[][] = [];
  for (const api of resources.apis) sections.push(apiWidgets(api));
  for (const name of resources.lambdaFunctions) {
    const lambdaFunction = LambdaFunction.fromFunctionName(monitoring, `Fn${idOf(name)}`, name);
    sections.push(
      new LambdaFunctionMonitoring(monitoring, {
        lambdaFunction,
        humanReadableName: name,
        alarmFriendlyName: name,
      }).widgets(),
    );
  }
  for (const name of resources.queues) {
    const queue = Queue.fromQueueAttributes(monitoring, `Queue${idOf(name)}`, {
      queueName: name,
      queueArn: stack.formatArn({ service: 'sqs', resource: name }),
    });
    sections.push(
      new SqsQueueMonitoring(monitoring, {
        queue,
        humanReadableName: name,
        alarmFriendlyName: name,
      }).widgets(),
    );
  }
  for (const id of resources.dbInstances) {
    const instance = DatabaseInstance.fromDatabaseInstanceAttributes(monitoring, `Db${idOf(id)}`, {
      instanceIdentifier: id,
      instanceEndpointAddress: `${id}.rds.amazonaws.com`,
      port: 5432,
      securityGroups: [],
    });
    sections.push(
      new RdsInstanceMonitoring(monitoring, {
        instance,
        humanReadableName: id,
        alarmFriendlyName: id,
      }).widgets(),
    );
  }
  for (const id of resources.dbClusters) {
    const cluster = DatabaseCluster.fromDatabaseClusterAttributes(monitoring, `Cluster${idOf(id)}`, {
      clusterIdentifier: id,
    });
    sections.push(
      new RdsClusterMonitoring(monitoring, {
        cluster,
        humanReadableName: id,
        alarmFriendlyName: id,
      }).widgets(),
    );
  }
  for (const arn of resources.stateMachineArns) {
    const stateMachine = StateMachine.fromStateMachineArn(
      monitoring,
      `Sm${idOf(arn.split(':').at(-1) ?? arn)}`,
      arn,
    );
    const name = arn.split(':').at(-1) ?? arn;
    sections.push(
      new StepFunctionMonitoring(monitoring, {
        stateMachine,
        humanReadableName: name,
        alarmFriendlyName: name,
      }).widgets(),
    );
  }
  return sections;
};
