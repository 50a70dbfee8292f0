/**
 * The AWS service limits a Vigil config can reach, in one place: config validation checks them (with the
 * path and the limit named), the stacks split by them, and the synth guard enforces the template ones.
 * docs/limits.md lists each, with where Vigil enforces it. Values from the services' API references and
 * quota pages (PutMetricAlarm, PutCompositeAlarm, PutDashboard, CreateScheduleGroup/CreateSchedule,
 * Step Functions quotas, CloudFormation quotas).
 */
export const AWS_LIMITS = {
  /** CloudWatch alarm names (PutMetricAlarm / PutCompositeAlarm `AlarmName`), characters. */
  alarmName: 255,
  /** CloudWatch alarm descriptions (`AlarmDescription`), characters. */
  alarmDescription: 1024,
  /** A composite alarm's `AlarmRule`, characters. */
  compositeAlarmRule: 10_240,
  /** Longest alarm period, seconds (Period is 10, 20, 30 or a multiple of 60, up to a day). */
  alarmPeriodSeconds: 86_400,
  /** Period × EvaluationPeriods for alarms whose period is under an hour, seconds (one day). */
  evaluationRangeShortPeriodSeconds: 86_400,
  /** Period × EvaluationPeriods for alarms whose period is an hour or more, seconds (seven days). */
  evaluationRangeSeconds: 604_800,
  /** Metrics (`MetricStat` entries) one metric-math alarm may retrieve. */
  alarmMetricStats: 10,
  /** Expressions one metric-math alarm may hold (its `Metrics` array holds at most 20 entries in all). */
  alarmExpressions: 10,
  /** CloudWatch dashboard names, characters (letters, digits, `-` and `_` only). */
  dashboardName: 255,
  /** Widgets per dashboard. */
  dashboardWidgets: 500,
  /** Metrics (and expressions) per dashboard. */
  dashboardMetrics: 2500,
  /** CloudWatch metric names, characters. */
  metricName: 255,
  /** Logs Insights query definition names, characters. */
  queryDefinitionName: 255,
  /** CloudWatch Logs log group names, characters. */
  logGroupName: 512,
  /** EventBridge Scheduler schedule group names, characters. */
  scheduleGroupName: 64,
  /** EventBridge Scheduler schedule expressions, characters. */
  scheduleExpression: 256,
  /** EventBridge Scheduler schedule descriptions, characters. */
  scheduleDescription: 512,
  /** Step Functions state machine and execution names, characters. */
  stateMachineName: 80,
  /** Step Functions state machine definitions, bytes (kept to 1,000,000 like templates). */
  stateMachineDefinitionBytes: 1_000_000,
  /** CloudFormation stack names, characters. */
  stackName: 128,
  /** Resources one CloudFormation stack may declare. */
  stackResources: 500,
  /** CloudFormation template body uploaded through S3, bytes (1 MB; kept to 1,000,000). */
  templateBytes: 1_000_000,
  /** Tag values (the `vigil:*` alarm tags), characters. */
  tagValue: 256,
  /** Longest Lambda invocation (`Timeout`), seconds: no runner or KPI run outlasts it. */
  lambdaTimeoutSeconds: 900,
} as const;

/**
 * The longest `period × evaluationPeriods` CloudWatch accepts for an alarm of this period, in seconds:
 * one day for periods under an hour, seven days otherwise.
 *
 * @example
 * maxEvaluationRangeSeconds(300); // 86_400
 * maxEvaluationRangeSeconds(3600); // 604_800
 */
export const maxEvaluationRangeSeconds = (periodSeconds: number): number =>
  periodSeconds < 3600 ? AWS_LIMITS.evaluationRangeShortPeriodSeconds : AWS_LIMITS.evaluationRangeSeconds;
