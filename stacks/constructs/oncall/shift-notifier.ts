import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { OnCallConfig } from '../../../functions/commons/config/oncall-schema';
import type { PagingConfig } from '../../../functions/commons/config/paging-schema';
import { ONCALL_METRICS } from '../../../functions/commons/metrics/metric-catalog';
import {
  bundledShiftNoticeConfig,
  SHIFT_NOTICES_CONFIG_FILE,
} from '../../../functions/oncall/adapters/bundled-oncall-config';
import { SHIFT_NOTIFIER_TIMING } from '../../../functions/oncall/core/shift-notices';
import { AlarmFactory } from '../alarm-factory';
import { bundledJson } from '../bundled-json';
import { pagingGrants } from '../escalation/paging-grants';
import { metricScope, scheduleMetric } from '../observability/metric-sources';
import { secretRefArns } from '../secret-arns';
import { VigilFunction } from '../vigil-function';

/** Props of {@link ShiftNotifier}. */
export interface ShiftNotifierProps {
  /** The parsed config: its `app`, `people`, `schedules` (at least one) and `paging`. */
  readonly config: Pick<OnCallConfig, 'people' | 'schedules'> & {
    readonly app: string;
    readonly paging: PagingConfig;
  };
  /** The on-call table ({@link OnCallTable}): overrides are read from it, notices claimed in it. */
  readonly table: ITable;
  /** CloudWatch namespace of `OnCallGapMinutes` (the config's `metricsNamespace`). @default 'Vigil' */
  readonly metricsNamespace?: string;
  /** How long the function's logs are kept. @default the VigilFunction default */
  readonly logRetention?: RetentionDays;
}

/**
 * Shift notices and empty-slot warnings: a function run every 5 minutes by EventBridge Scheduler that sends
 * each person coming on call "you are on call for S until …" through their SMS, email and Slack contacts
 * (once per handoff: a conditional write in the on-call table), and publishes `OnCallGapMinutes` per
 * schedule, the minutes nobody is on call in the next 7 days. Per schedule, a `warning` alarm
 * (`<app>-vigil-oncall-gap-<schedule>`, team `vigil`) fires when that is above 0 and is routed by the
 * escalation engine like any Vigil alarm.
 *
 * @example
 * const oncall = new OnCallTable(this, 'OnCall');
 * new ShiftNotifier(this, 'ShiftNotices', { config, table: oncall.table });
 */
export class ShiftNotifier extends Construct {
  public readonly function: VigilFunction;
  /** The empty-slot alarm of each schedule, by schedule id. */
  public readonly gapAlarms: ReadonlyMap<string, Alarm>;

  public constructor(scope: Construct, id: string, props: ShiftNotifierProps) {
    super(scope, id);
    const { config } = props;
    const schedules = Object.keys(config.schedules);
    if (schedules.length === 0)
      throw new Error('ShiftNotifier needs at least one schedule under `schedules`');
    const metrics = metricScope({
      app: config.app,
      ...(props.metricsNamespace !== undefined ? { metricsNamespace: props.metricsNamespace } : {}),
    });
    this.function = new VigilFunction(this, 'Notifier', {
      entry: join(__dirname, '..', '..', '..', 'functions', 'oncall', 'shift-notices-handler.ts'),
      serviceName: config.app,
      app: metrics.app,
      metricsNamespace: metrics.namespace,
      timeout: Duration.seconds(60),
      ...(props.logRetention !== undefined ? { logRetention: props.logRetention } : {}),
      environment: { VIGIL_ONCALL_TABLE_NAME: props.table.tableName },
      bundling: {
        commandHooks: bundledJson(SHIFT_NOTICES_CONFIG_FILE, bundledShiftNoticeConfig(config)),
      },
    });
    // Reads overrides (Query) and claims notices (conditional PutItem); texts and emails from the paging
    // identities (never a call), and reads the Slack bot token.
    props.table.grant(this.function, 'dynamodb:Query', 'dynamodb:PutItem');
    const stack = this.function.stack;
    for (const grant of pagingGrants(
      { ...config.paging, voice: undefined },
      { partition: stack.partition, region: stack.region, account: stack.account },
    ))
      this.function.addToRolePolicy(
        new PolicyStatement({ actions: [...grant.actions], resources: [...grant.resources] }),
      );
    if (config.paging.slack !== undefined) {
      const { secrets, parameters } = secretRefArns(this, [config.paging.slack.botToken]);
      if (secrets.length > 0)
        this.function.addToRolePolicy(
          new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: secrets }),
        );
      if (parameters.length > 0)
        this.function.addToRolePolicy(
          new PolicyStatement({ actions: ['ssm:GetParameter'], resources: parameters }),
        );
    }
    new Schedule(this, 'Every5Minutes', {
      description: `Shift notices and on-call gap warnings of ${config.app}`,
      schedule: ScheduleExpression.expression(`rate(${SHIFT_NOTIFIER_TIMING.everyMinutes} minutes)`),
      target: new LambdaInvoke(this.function, { retryAttempts: 0, maxEventAge: Duration.minutes(5) }),
    });
    this.function.acknowledgeInvokeOfVersions('EventBridge Scheduler may invoke only the shift notifier');

    const alarms = new AlarmFactory(this, { app: config.app });
    this.gapAlarms = new Map(
      schedules.map((schedule) => {
        const alarm = alarms.addAlarm(`Gap-${schedule}`, {
          kind: 'vigil',
          name: `oncall-gap-${schedule}`,
          severity: 'warning',
          team: 'vigil',
          description: `${config.app}: schedule '${schedule}' has nobody on call for some time in the next 7 days (no layer, override or fallback). 'vigil oncall --schedule ${schedule}' names the slot; add an override or a fallback.`,
          runbookUrl: 'docs/oncall.md#shift-notices-and-gap-warnings',
          metric: scheduleMetric(metrics, schedule, ONCALL_METRICS.gapMinutes, {
            statistic: 'Maximum',
            periodMs: SHIFT_NOTIFIER_TIMING.everyMinutes * 60_000,
          }),
          threshold: 0,
          comparison: '>',
          evaluationPeriods: 1,
        });
        return [schedule, alarm] as const;
      }),
    );
  }
}
