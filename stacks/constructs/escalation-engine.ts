import { join } from 'node:path';
import {
  ArnFormat,
  Aws,
  CfnOutput,
  type CfnResource,
  Duration,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { type ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type CfnFunction, type FunctionUrl, FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SnsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { alarmPrefix } from '../../functions/commons/alarm-naming';
import type { VigilConfig } from '../../functions/commons/config/schema';
import type { SecretRef } from '../../functions/commons/config/types';
import { ENGINE_METRICS } from '../../functions/commons/metrics/metric-catalog';
import {
  ESCALATION_CONFIG_FILE,
  ESCALATION_CONTEXT_ENV,
} from '../../functions/escalation/adapters/bundled-runtime-config';
import {
  resolveBundledConfig,
  withRuntimeContext,
} from '../../functions/escalation/core/resolve-runtime-config';
import type {
  EscalationRuntimeConfig,
  RuntimeConfigContext,
} from '../../functions/escalation/types/runtime-config';
import { AlarmFactory } from './alarm-factory';
import { bundledJson } from './bundled-json';
import { escalationDefinition, MAX_EXECUTION } from './escalation/escalation-definition';
import { pagingGrants } from './escalation/paging-grants';
import { appMetric, metricScope } from './observability/metric-sources';
import { secretRefArns } from './secret-arns';
import { VigilFunction, type VigilFunctionProps } from './vigil-function';
import { vigilTableProps } from './vigil-table-props';

const FUNCTIONS_DIR = join(__dirname, '..', '..', 'functions', 'escalation');

/** Props of {@link EscalationEngine}. */
export interface EscalationEngineProps {
  /** The validated config; must have an `escalation` section. */
  readonly config: VigilConfig;
  /** Alarms whose names start with this are escalated from EventBridge. @default alarmPrefix(config.app) */
  readonly alarmNamePrefix?: string;
  /** Dashboard linked from every notification. @default no link */
  readonly dashboardUrl?: string;
  /** What happens to the incidents table when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly tableRemovalPolicy?: RemovalPolicy;
  /** Retention of the state machine's and functions' logs. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** Days graph images are kept in S3. @default 7 */
  readonly graphRetentionDays?: number;
  /**
   * Regions whose alarms reach this engine (forwarded from the other check locations); the status check
   * may read alarms there. @default only this stack's region
   */
  readonly alarmRegions?: readonly string[];
  /**
   * Reserved concurrency of each public Function URL (ack, PagerDuty webhook): bounds what a flood of requests
   * can cost and keeps it from starving the account's other functions. An account at the default quota of 10
   * concurrent executions must raise it first (Lambda keeps 10 unreserved). @default 5
   */
  readonly publicUrlConcurrency?: number;
  /**
   * The on-call table (`OnCallTable`): run-time overrides decide who a level targeting a schedule pages.
   * @default none (schedules as in config)
   */
  readonly oncallTable?: ITable;
}

/**
 * Vigil's escalation engine: EventBridge alarm events and an ingress SNS topic start one Standard Step
 * Functions execution per incident, built from the config's policies (notify a level's channels in
 * parallel, wait, re-check alarm state / ack / silence, escalate; OK resolves, an ack stops), with a
 * DynamoDB incident/ack/audit table, a signed-link acknowledge Function URL, an S3 bucket for graphs and an
 * alarm on notification failures.
 *
 * @example
 * const engine = new EscalationEngine(this, 'Escalation', { config });
 * existingAlarm.addAlarmAction(new SnsAction(engine.ingressTopic));
 */
export class EscalationEngine extends Construct {
  /** The escalation state machine. */
  public readonly stateMachine: StateMachine;
  /** Point alarms Vigil did not create at this topic (standard CloudWatch alarm action). */
  public readonly ingressTopic: Topic;
  /** ARN of {@link ingressTopic}. */
  public readonly ingressTopicArn: string;
  /** Incidents, acknowledgements and the audit trail. */
  public readonly table: Table;
  /** Metric graph images (presigned links in notifications). */
  public readonly graphBucket: Bucket;
  /** The acknowledge endpoint. */
  public readonly ackUrl: FunctionUrl;
  /** HMAC secret signing acknowledge links. */
  public readonly ackSecret: Secret;
  /**
   * The endpoint for PagerDuty V3 webhook subscriptions (`incident.acknowledged`), created only when a
   * `pagerduty` channel has a `webhookSecret`. @default undefined (no PagerDuty webhook configured)
   */
  public readonly pagerDutyWebhookUrl?: FunctionUrl;
  /**
   * The Slack app's Interactivity Request URL (Acknowledge / Resolve buttons), created only when
   * `escalation.slack` is configured. @default undefined (no Slack buttons)
   */
  public readonly slackInteractionsUrl?: FunctionUrl;
  /**
   * The SNS topic inbound SMS replies arrive on (the origination number's two-way destination), present when
   * `escalation.sms` is configured. @default undefined (no two-way SMS)
   */
  public readonly inboundSmsTopic?: ITopic;
  /** Alarm on failed notifications. */
  public readonly notificationFailuresAlarm: Alarm;
  /** Alarm on escalation executions that failed (an escalation that died pages nobody). */
  public readonly executionsFailedAlarm: Alarm;
  /**
   * The start function's on-failure destination: every alarm event it could not turn into an escalation
   * (malformed, or Step Functions unreachable through all retries), kept whole for 14 days.
   */
  public readonly startFailures: Queue;
  /** Alarm on {@link startFailures} holding any event (an alarm event that started no escalation). */
  public readonly startFailuresAlarm: Alarm;
  /**
   * The runtime config the check-status and notify Lambdas load: bundled as `escalation-config.json`, joined
   * at init with the deploy-time values (ack URL, channel topics, region) from their environment.
   */
  public readonly runtimeConfig: EscalationRuntimeConfig;
  /** Lambdas, for wiring and tests. */
  public readonly functions: {
    readonly start: VigilFunction;
    readonly checkStatus: VigilFunction;
    readonly notify: VigilFunction;
    readonly ack: VigilFunction;
    /** Present when a PagerDuty channel has a `webhookSecret`. */
    readonly pagerDutyWebhook?: VigilFunction;
    /** Present when `escalation.slack` is configured. */
    readonly slackInteractions?: VigilFunction;
    /** Present when `escalation.sms` is configured. */
    readonly inboundSms?: VigilFunction;
  };

  public constructor(scope: Construct, id: string, props: EscalationEngineProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const serviceName = (name: string) => `${config.app}-escalation-${name}`;
    const publicUrlConcurrency = props.publicUrlConcurrency ?? 5;
    if (!Number.isInteger(publicUrlConcurrency) || publicUrlConcurrency < 1)
      throw new Error(
        `EscalationEngine publicUrlConcurrency must be a positive integer, got ${publicUrlConcurrency}`,
      );

    const key = new Key(this, 'TopicKey', {
      enableKeyRotation: true,
      description: `${config.app} escalation topics`,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Alarms publishing to the ingress topic: only this account's, in this region (confused deputy).
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    this.ingressTopic = new Topic(this, 'Ingress', {
      masterKey: key,
      enforceSSL: true,
      displayName: `${config.app} alarm ingress`,
    });
    this.ingressTopicArn = this.ingressTopic.topicArn;

    const topicArns: Record<string, string> = {};
    const channelTopics: Topic[] = [];
    for (const [name, channel] of Object.entries(config.channels)) {
      if (channel.type !== 'email' && channel.type !== 'sms') continue;
      const topic = new Topic(this, `Channel-${name}`, {
        masterKey: key,
        enforceSSL: true,
        displayName: `Vigil ${name}`,
      });
      if (channel.type === 'email')
        for (const address of channel.addresses) topic.addSubscription(new EmailSubscription(address));
      else for (const phone of channel.phoneNumbers) topic.addSubscription(new SmsSubscription(phone));
      topicArns[name] = topic.topicArn;
      channelTopics.push(topic);
    }

    this.table = new Table(this, 'Incidents', vigilTableProps(props.tableRemovalPolicy));
    new CfnOutput(this, 'IncidentsTableName', {
      description: "Incidents, acks and audit trail: 'vigil incidents --aws --table <this>' reads them",
      value: this.table.tableName,
    });
    this.graphBucket = new Bucket(this, 'Graphs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      lifecycleRules: [{ expiration: Duration.days(props.graphRetentionDays ?? 7) }],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    this.ackSecret = new Secret(this, 'AckSecret', {
      description: `${config.app}: HMAC key signing escalation acknowledge links`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });

    const fn = (
      name: string,
      file: string,
      environment: Record<string, string>,
      bundling?: VigilFunctionProps['bundling'],
    ) =>
      new VigilFunction(this, name, {
        entry: join(FUNCTIONS_DIR, file),
        serviceName: serviceName(name.toLowerCase()),
        app: config.app,
        metricsNamespace: config.metricsNamespace,
        logRetention,
        environment,
        ...(bundling !== undefined ? { bundling } : {}),
      });
    const ack = fn('Ack', 'ack.ts', {
      VIGIL_TABLE_NAME: this.table.tableName,
      VIGIL_ACK_SECRET_ARN: this.ackSecret.secretArn,
    });
    this.ackUrl = ack.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    const capPublic = (lambda: VigilFunction) => {
      (lambda.node.defaultChild as CfnFunction).reservedConcurrentExecutions = publicUrlConcurrency;
    };
    capPublic(ack);
    // The config travels in the bundle (validated at synth, any size, hashed into the asset); the values
    // only the deployment knows travel in one environment variable. Neither is in the execution state.
    const context: RuntimeConfigContext = {
      ackUrl: this.ackUrl.url,
      topicArns,
      region: stack.region,
      ...(props.dashboardUrl !== undefined ? { dashboardUrl: props.dashboardUrl } : {}),
    };
    const bundledConfig = resolveBundledConfig(config);
    if (Token.isUnresolved(JSON.stringify(bundledConfig)))
      throw new Error(
        'the escalation config holds a CDK token; it is bundled as a file at synth time, so pass plain values (deploy-time values go through EscalationEngineProps)',
      );
    this.runtimeConfig = withRuntimeContext(bundledConfig, context);
    const runtimeEnvironment = { [ESCALATION_CONTEXT_ENV]: stack.toJsonString(context) };
    const withConfig = { commandHooks: bundledJson(ESCALATION_CONFIG_FILE, bundledConfig) };
    const checkStatus = fn(
      'CheckStatus',
      'check-status.ts',
      {
        VIGIL_TABLE_NAME: this.table.tableName,
        VIGIL_GRAPH_BUCKET: this.graphBucket.bucketName,
        ...(props.oncallTable !== undefined ? { VIGIL_ONCALL_TABLE: props.oncallTable.tableName } : {}),
        ...runtimeEnvironment,
      },
      withConfig,
    );
    const notify = fn(
      'Notify',
      'notify.ts',
      {
        VIGIL_TABLE_NAME: this.table.tableName,
        VIGIL_ACK_SECRET_ARN: this.ackSecret.secretArn,
        ...runtimeEnvironment,
      },
      withConfig,
    );

    const logGroup = new LogGroup(this, 'StateMachineLogs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: escalationDefinition(this, {
        checkFunction: checkStatus,
        notifyFunction: notify,
      }),
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
      timeout: MAX_EXECUTION,
    });
    const start = fn('Start', 'start.ts', {
      VIGIL_STATE_MACHINE_ARN: this.stateMachine.stateMachineArn,
      VIGIL_TABLE_NAME: this.table.tableName,
    });
    // EventBridge and SNS invoke the start function asynchronously: an event it cannot start an escalation
    // for is retried twice, then kept here instead of being dropped, and alarmed on below.
    this.startFailures = new Queue(this, 'StartFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    start.configureAsyncInvoke({
      onFailure: new SqsDestination(this.startFailures),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });

    // PagerDuty acks flow back through a V3 webhook subscription, when a channel has its signing secret.
    const webhookSecrets: Record<string, SecretRef> = {};
    for (const [name, channel] of Object.entries(config.channels))
      if (channel.type === 'pagerduty' && channel.webhookSecret !== undefined)
        webhookSecrets[name] = channel.webhookSecret;
    let pagerDutyWebhook: VigilFunction | undefined;
    if (Object.keys(webhookSecrets).length > 0) {
      pagerDutyWebhook = fn('PagerDutyWebhook', 'pagerduty-webhook.ts', {
        VIGIL_TABLE_NAME: this.table.tableName,
        VIGIL_PAGERDUTY_WEBHOOK_SECRETS: JSON.stringify(webhookSecrets),
      });
      this.pagerDutyWebhookUrl = pagerDutyWebhook.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
      capPublic(pagerDutyWebhook);
      new CfnOutput(this, 'PagerDutyWebhookUrl', {
        description: 'Endpoint for the PagerDuty V3 webhook subscription (incident.acknowledged)',
        value: this.pagerDutyWebhookUrl.url,
      });
    }

    // Slack buttons and SMS replies ack through the same conditional write, when the config uses them.
    const people = Object.entries(config.people ?? {});
    let slackInteractions: VigilFunction | undefined;
    const slack = config.escalation?.slack;
    if (slack !== undefined) {
      const slackPeople = Object.fromEntries(
        people.flatMap(([, person]) =>
          person.contact.slack !== undefined ? [[person.contact.slack, person.name]] : [],
        ),
      );
      slackInteractions = fn('SlackInteractions', 'slack-interactions.ts', {
        VIGIL_TABLE_NAME: this.table.tableName,
        VIGIL_SLACK_SIGNING_SECRET: JSON.stringify(slack.signingSecret),
        VIGIL_SLACK_PEOPLE: JSON.stringify(slackPeople),
      });
      this.slackInteractionsUrl = slackInteractions.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
      capPublic(slackInteractions);
      new CfnOutput(this, 'SlackInteractionsUrl', {
        description: "The Slack app's Interactivity Request URL (Acknowledge / Resolve buttons)",
        value: this.slackInteractionsUrl.url,
      });
    }
    let inboundSms: VigilFunction | undefined;
    const sms = config.escalation?.sms;
    if (sms !== undefined) {
      const smsPeople = Object.fromEntries(
        people.flatMap(([personId, person]) =>
          person.contact.sms !== undefined ? [[person.contact.sms, { personId, name: person.name }]] : [],
        ),
      );
      const topic =
        sms.inboundTopicArn !== undefined
          ? Topic.fromTopicArn(this, 'InboundSmsTopic', sms.inboundTopicArn)
          : this.createInboundSmsTopic(key);
      this.inboundSmsTopic = topic;
      inboundSms = fn('InboundSms', 'inbound-sms.ts', {
        VIGIL_TABLE_NAME: this.table.tableName,
        VIGIL_SMS_PEOPLE: JSON.stringify(smsPeople),
      });
      inboundSms.addEventSource(new SnsEventSource(topic));
      // Replies go out from the number the person texted: one of this account's phone numbers.
      inboundSms.addToRolePolicy(
        new PolicyStatement({
          actions: ['sms-voice:SendTextMessage'],
          resources: [`arn:${Aws.PARTITION}:sms-voice:${stack.region}:${Aws.ACCOUNT_ID}:phone-number/*`],
        }),
      );
      new CfnOutput(this, 'InboundSmsTopicArn', {
        description: "Set as the origination number's two-way SMS destination (SNS topic)",
        value: topic.topicArn,
      });
    }
    this.functions = {
      start,
      checkStatus,
      notify,
      ack,
      ...(pagerDutyWebhook ? { pagerDutyWebhook } : {}),
      ...(slackInteractions ? { slackInteractions } : {}),
      ...(inboundSms ? { inboundSms } : {}),
    };

    // Least privilege, per function.
    this.stateMachine.grantStartExecution(start);
    // An OK event wakes the open incident's waiting execution: read its claim, SendTaskSuccess on its token.
    // SendTaskSuccess has no resource-level permissions (Service Authorization Reference): the token itself,
    // unguessable and single-use, names the task.
    start.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: ['*'] }));
    this.table.grant(start, 'dynamodb:GetItem');
    this.table.grantReadWriteData(checkStatus);
    this.table.grantReadWriteData(notify);
    // The public ack page reads the incident and its ack and writes the ack (conditional put); nothing else.
    this.table.grant(ack, 'dynamodb:GetItem', 'dynamodb:PutItem');
    this.ackSecret.grantRead(notify);
    ack.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.ackSecret.secretArn],
      }),
    );
    // Alarms of other check locations are forwarded here; their state is read in their own region.
    const alarmRegions = [...new Set([stack.region, ...(props.alarmRegions ?? [])])];
    checkStatus.addToRolePolicy(
      new PolicyStatement({
        actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'],
        resources: alarmRegions.map(
          (region) => `arn:${Aws.PARTITION}:cloudwatch:${region}:${Aws.ACCOUNT_ID}:alarm:*`,
        ),
      }),
    );
    // The start function reads an alarm's current state before opening an incident (a stale event opens none).
    start.addToRolePolicy(
      new PolicyStatement({
        actions: ['cloudwatch:DescribeAlarms'],
        resources: alarmRegions.map(
          (region) => `arn:${Aws.PARTITION}:cloudwatch:${region}:${Aws.ACCOUNT_ID}:alarm:*`,
        ),
      }),
    );
    checkStatus.addToRolePolicy(
      new PolicyStatement({
        actions: ['xray:GetTraceSummaries', 'cloudwatch:GetMetricWidgetImage'],
        resources: ['*'],
      }),
    );
    checkStatus.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [this.graphBucket.arnForObjects('graphs/*')],
      }),
    );
    for (const topic of channelTopics) topic.grantPublish(notify);
    // Direct pages: texts and calls from the configured origination identities, email from the SES identity.
    for (const grant of pagingGrants(config.paging, {
      partition: Aws.PARTITION,
      region: stack.region,
      account: Aws.ACCOUNT_ID,
    }))
      notify.addToRolePolicy(
        new PolicyStatement({ actions: [...grant.actions], resources: [...grant.resources] }),
      );
    // Who a schedule pages: the overrides partition of the on-call table, read only.
    props.oncallTable?.grant(checkStatus, 'dynamodb:Query');
    const grantSecrets = (grantee: VigilFunction, refs: readonly SecretRef[]) => {
      const { secrets, parameters } = secretRefArns(this, refs);
      if (secrets.length > 0) {
        grantee.addToRolePolicy(
          new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: secrets }),
        );
      }
      if (parameters.length > 0) {
        grantee.addToRolePolicy(
          new PolicyStatement({ actions: ['ssm:GetParameter'], resources: parameters }),
        );
      }
    };
    grantSecrets(
      notify,
      Object.values(this.runtimeConfig.channels).flatMap((channel) =>
        channel.secret !== undefined ? [channel.secret] : [],
      ),
    );
    if (pagerDutyWebhook !== undefined) {
      // Reads the incident and writes the ack with the same conditional put as the ack function; nothing else.
      this.table.grant(pagerDutyWebhook, 'dynamodb:GetItem', 'dynamodb:PutItem');
      grantSecrets(pagerDutyWebhook, Object.values(webhookSecrets));
    }
    if (slackInteractions !== undefined && slack !== undefined) {
      // Reads the incident and writes the ack (conditional put); nothing else.
      this.table.grant(slackInteractions, 'dynamodb:GetItem', 'dynamodb:PutItem');
      grantSecrets(slackInteractions, [slack.signingSecret]);
    }
    if (inboundSms !== undefined) {
      // Reads the person's pages (Query), the incident and its alarm claim, and writes the ack.
      this.table.grant(inboundSms, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query');
    }

    // Ingress: EventBridge for Vigil's own alarms, SNS for any other alarm.
    new Rule(this, 'AlarmStateChange', {
      description: `Escalate ${config.app} alarms entering ALARM; wake their escalation when they return to OK`,
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        detail: {
          alarmName: [{ prefix: props.alarmNamePrefix ?? alarmPrefix(config.app) }],
          // A composite alarm whose actions are suppressed (service down suppresses its dependents) still
          // emits state changes, marked with actionsSuppressedBy: those must not page.
          state: {
            value: ['ALARM', 'OK'],
            actionsSuppressedBy: [{ exists: false }] as unknown as string[],
          },
        },
      },
      targets: [new LambdaFunction(start, { retryAttempts: 8, maxEventAge: Duration.hours(1) })],
    });
    start.addEventSource(new SnsEventSource(this.ingressTopic));

    // Vigil's own alarms: critical for the team `vigil` (a broken pager is an incident), routed like any other.
    const alarms = new AlarmFactory(this, { app: config.app });
    const own = {
      kind: 'vigil',
      severity: 'critical',
      team: 'vigil',
      runbookUrl: 'docs/escalation.md',
      threshold: 1,
      comparison: '>=',
      evaluationPeriods: 1,
    } as const;
    this.notificationFailuresAlarm = alarms.addAlarm('NotificationFailures', {
      ...own,
      name: 'notification-failures',
      description: `${config.app}: escalation notifications failed after retries (fallbacks were tried).`,
      metric: appMetric(metricScope(config), ENGINE_METRICS.notificationFailures, {
        statistic: 'Sum',
        periodMs: 300_000,
      }),
    });

    this.executionsFailedAlarm = alarms.addAlarm('ExecutionsFailed', {
      ...own,
      name: 'escalation-failed',
      description: `${config.app}: an escalation execution failed or timed out; check the state machine's failed executions.`,
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
    });

    this.startFailuresAlarm = alarms.addAlarm('StartFailuresAlarm', {
      ...own,
      name: 'escalation-start-failures',
      description: `${config.app}: an alarm event started no escalation (malformed, or Step Functions unreachable); it is kept in the start-failures queue and the start function's log says why.`,
      metric: this.startFailures.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparison: '>',
    });

    const acknowledge = (id: string, reason: string) => Validations.of(this).acknowledge({ id, reason });
    if (inboundSms !== undefined) {
      acknowledge(
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:${Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region}:<AWS::AccountId>:phone-number/*]`,
        'An SMS reply goes out from the number the person texted, one of this account’s phone numbers; SendTextMessage only.',
      );
    }
    const logicalId = (resource: Construct) => stack.getLogicalId(resource.node.defaultChild as CfnResource);
    acknowledge(
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords, GetTraceSummaries, CloudWatch GetMetricWidgetImage and Step Functions SendTaskSuccess (the start function waking a waiting escalation by its task token) accept no resource ARNs; the state machine’s log delivery actions likewise.',
    );
    for (const region of alarmRegions) {
      const where = Token.isUnresolved(region) ? '<AWS::Region>' : region;
      acknowledge(
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:${where}:<AWS::AccountId>:alarm:*]`,
        'The engine reads the state and tags of any alarm routed to it (including alarms Vigil did not create), in this account and the check locations only.',
      );
    }
    acknowledge(
      `AwsSolutions-IAM5[Resource::<${logicalId(this.graphBucket)}.Arn>/graphs/*]`,
      'Graph images are written and presigned under the graphs/ prefix of this bucket only.',
    );
    acknowledge(
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'Publishing to the KMS-encrypted channel topics needs GenerateDataKey* on this key only.',
    );
    for (const lambda of [checkStatus, notify])
      lambda.acknowledgeInvokeOfVersions('The state machine may invoke only this function');
    acknowledge(
      'AwsSolutions-S1',
      'The graph bucket holds short-lived images (lifecycle-expired); access logs would outlive them.',
    );
    acknowledge(
      'AwsSolutions-SQS3',
      'The start-failures queue is itself the dead-letter destination of the start function.',
    );
    acknowledge(
      'AwsSolutions-SMG4',
      'The ack HMAC key is random; rotation would invalidate links in flight. Rotate by replacing the secret.',
    );
  }

  /** The KMS-encrypted topic End User Messaging SMS publishes this account's inbound messages to. */
  private createInboundSmsTopic(key: Key): Topic {
    const stack = Stack.of(this);
    const topic = new Topic(this, 'InboundSmsTopic', {
      masterKey: key,
      enforceSSL: true,
      displayName: 'Vigil inbound SMS',
    });
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': stack.account } };
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: fromThisAccount,
      }),
    );
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromThisAccount,
      }),
    );
    return topic;
  }
}
