import type { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  type AlarmBase,
  AnomalyDetectionAlarm,
  ComparisonOperator,
  CompositeAlarm,
  type IAlarm,
  type IAlarmAction,
  type IAlarmRule,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { type AlarmKind, alarmName, inputAlarmName } from '../../functions/commons/alarm-naming';
import { alarmDescription, type MissingData } from '../../functions/commons/alarm-settings';
import type { Severity } from '../../functions/commons/severity';
import { tagAlarm } from './tag-alarm';

/** A static threshold comparison, in the config's words. */
export type AlarmComparison = '>' | '>=' | '<' | '<=';

/** An anomaly-band comparison, in the config's words. */
export type BandComparison = 'outsideBand' | 'aboveBand' | 'belowBand';

/** CloudWatch's operator for each static comparison. */
export const COMPARISON_OPERATORS = {
  '>': ComparisonOperator.GREATER_THAN_THRESHOLD,
  '>=': ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  '<': ComparisonOperator.LESS_THAN_THRESHOLD,
  '<=': ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
} as const satisfies Record<AlarmComparison, ComparisonOperator>;

/** CloudWatch's operator for each anomaly-band comparison. */
export const BAND_OPERATORS = {
  outsideBand: ComparisonOperator.LESS_THAN_LOWER_OR_GREATER_THAN_UPPER_THRESHOLD,
  aboveBand: ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
  belowBand: ComparisonOperator.LESS_THAN_LOWER_THRESHOLD,
} as const satisfies Record<BandComparison, ComparisonOperator>;

/** CloudWatch's `TreatMissingData` for each of the config's missing-data words. */
export const TREAT_MISSING_DATA = {
  missing: TreatMissingData.MISSING,
  ignore: TreatMissingData.IGNORE,
  breaching: TreatMissingData.BREACHING,
  notBreaching: TreatMissingData.NOT_BREACHING,
} as const satisfies Record<MissingData, TreatMissingData>;

/**
 * How an alarm of each kind treats a period without data, unless it says otherwise:
 * - `check`, `heartbeat`: silence is failure (the runner or the evaluator publishes every period: the dead
 *   man's switch);
 * - `kpi`, `rule`: CloudWatch's own default (`missing`); the config chooses per item;
 * - `slo`, `vigil`: no data means nothing happened (no traffic, no errors, no failed notification).
 */
export const MISSING_DATA_DEFAULTS = {
  check: 'breaching',
  heartbeat: 'breaching',
  kpi: 'missing',
  rule: 'missing',
  slo: 'notBreaching',
  vigil: 'notBreaching',
} as const satisfies Record<AlarmKind, MissingData>;

/** Who an alarm is, how it is routed and what it says: the part every kind of alarm shares. */
export interface AlarmIdentity {
  /** What the alarm watches: the `<kind>` of its name and its `vigil:kind` tag. */
  readonly kind: AlarmKind;
  /** The `<name>` of `<app>-<kind>-<name>` (e.g. the check's name, `login-degraded`). */
  readonly name: string;
  /** The `vigil:severity` tag, and how the escalation engine chooses a policy. */
  readonly severity: Severity;
  /** The `vigil:team` tag. */
  readonly team: string;
  /** Ends the name with the severity (`<app>-kpi-orders-critical`). @default false */
  readonly severityInName?: boolean;
  /**
   * Whether the escalation engine routes this alarm. An unrouted alarm only feeds a composite: it is named
   * `<app>.input.<kind>-<name>` (outside the engine's `<app>-` prefix). @default true
   */
  readonly routed?: boolean;
  /** What fired, in a sentence; the runbook URL is appended. */
  readonly description: string;
  /** The runbook, appended to the description as `Runbook: <url>`. @default none */
  readonly runbookUrl?: string;
}

/** When a metric alarm fires, and how it treats missing data. */
interface Evaluation {
  readonly metric: IMetric;
  /** Periods looked at. @default 1 */
  readonly evaluationPeriods?: number;
  /** Of those, periods that must breach. @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /** @default MISSING_DATA_DEFAULTS[kind] */
  readonly missingData?: MissingData;
}

/** Props of {@link AlarmFactory.addAlarm}. */
export interface AddAlarmProps extends AlarmIdentity, Evaluation {
  readonly threshold: number;
  readonly comparison: AlarmComparison;
}

/** Props of {@link AlarmFactory.addBandAlarm}. */
export interface AddBandAlarmProps extends AlarmIdentity, Evaluation {
  /** Width of the expected band, in standard deviations. */
  readonly stdDevs: number;
  readonly comparison: BandComparison;
}

/** Props of {@link AlarmFactory.addComposite}. */
export interface AddCompositeProps extends AlarmIdentity {
  readonly alarmRule: IAlarmRule;
  /** Suppresses the composite's actions while in ALARM. @default none */
  readonly actionsSuppressor?: IAlarm;
  /** @default CloudWatch's (one minute) */
  readonly actionsSuppressorWaitPeriod?: Duration;
  /** @default CloudWatch's (one minute) */
  readonly actionsSuppressorExtensionPeriod?: Duration;
  /** @default true */
  readonly actionsEnabled?: boolean;
}

/** Props of {@link AlarmFactory}. */
export interface AlarmFactoryProps {
  /** The config's app name: the first part of every alarm name, the `vigil:app` tag. */
  readonly app: string;
  /** Added to every routed alarm (e.g. an SNS topic). @default none: the escalation engine routes by tags */
  readonly alarmActions?: readonly IAlarmAction[];
}

/**
 * The one place Vigil's alarms are made (after cdk-monitoring-constructs' `AlarmFactory`): it names them
 * through `alarm-naming.ts`, writes the description with its runbook, tags severity/team/app/kind, applies
 * the missing-data default of their kind and maps the config's comparisons to CloudWatch's. Constructs say
 * what an alarm watches and who it pages; the factory makes every alarm the same way.
 *
 * @example
 * const alarms = new AlarmFactory(this, { app: 'shop' });
 * alarms.addAlarm('login', {
 *   kind: 'check', name: 'login', severity: 'critical', team: 'web',
 *   description: "Synthetic check 'login' failed", metric, threshold: 1, comparison: '<',
 * });
 */
export class AlarmFactory {
  private readonly scope: Construct;
  private readonly props: AlarmFactoryProps;

  public constructor(scope: Construct, props: AlarmFactoryProps) {
    this.scope = scope;
    this.props = props;
  }

  /** The name an alarm of this identity gets. */
  public alarmName(
    identity: Pick<AlarmIdentity, 'kind' | 'name' | 'severity' | 'severityInName' | 'routed'>,
  ): string {
    const name = identity.severityInName === true ? `${identity.name}-${identity.severity}` : identity.name;
    return identity.routed === false
      ? inputAlarmName(this.props.app, identity.kind, name)
      : alarmName(this.props.app, identity.kind, name);
  }

  /**
   * A metric alarm on a static threshold.
   *
   * @param id construct id, unique in `scope`
   * @param scope where the alarm is created @default the factory's scope
   */
  public addAlarm(id: string, props: AddAlarmProps, scope: Construct = this.scope): Alarm {
    const alarm = new Alarm(scope, id, {
      ...this.common(props),
      ...this.evaluation(props),
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: COMPARISON_OPERATORS[props.comparison],
    });
    return this.finish(alarm, props);
  }

  /**
   * A metric alarm on CloudWatch anomaly detection: fires when the metric leaves its expected band.
   *
   * @param id construct id, unique in `scope`
   * @param scope where the alarm is created @default the factory's scope
   */
  public addBandAlarm(
    id: string,
    props: AddBandAlarmProps,
    scope: Construct = this.scope,
  ): AnomalyDetectionAlarm {
    const alarm = new AnomalyDetectionAlarm(scope, id, {
      ...this.common(props),
      ...this.evaluation(props),
      metric: props.metric,
      stdDevs: props.stdDevs,
      comparisonOperator: BAND_OPERATORS[props.comparison],
    });
    return this.finish(alarm, props);
  }

  /**
   * A composite alarm over other alarms.
   *
   * @param id construct id, unique in `scope`
   * @param scope where the alarm is created @default the factory's scope
   */
  public addComposite(id: string, props: AddCompositeProps, scope: Construct = this.scope): CompositeAlarm {
    const { alarmName: compositeAlarmName, alarmDescription: description } = this.common(props);
    const alarm = new CompositeAlarm(scope, id, {
      compositeAlarmName,
      alarmDescription: description,
      alarmRule: props.alarmRule,
      ...(props.actionsSuppressor !== undefined ? { actionsSuppressor: props.actionsSuppressor } : {}),
      ...(props.actionsSuppressorWaitPeriod !== undefined
        ? { actionsSuppressorWaitPeriod: props.actionsSuppressorWaitPeriod }
        : {}),
      ...(props.actionsSuppressorExtensionPeriod !== undefined
        ? { actionsSuppressorExtensionPeriod: props.actionsSuppressorExtensionPeriod }
        : {}),
      ...(props.actionsEnabled !== undefined ? { actionsEnabled: props.actionsEnabled } : {}),
    });
    return this.finish(alarm, props);
  }

  private common(identity: AlarmIdentity): { alarmName: string; alarmDescription: string } {
    return {
      alarmName: this.alarmName(identity),
      alarmDescription: alarmDescription(identity.description, identity.runbookUrl),
    };
  }

  private evaluation(props: AlarmIdentity & Evaluation) {
    const evaluationPeriods = props.evaluationPeriods ?? 1;
    return {
      evaluationPeriods,
      ...(props.datapointsToAlarm !== undefined ? { datapointsToAlarm: props.datapointsToAlarm } : {}),
      treatMissingData: TREAT_MISSING_DATA[props.missingData ?? MISSING_DATA_DEFAULTS[props.kind]],
    };
  }

  private finish<T extends AlarmBase & (Alarm | CompositeAlarm)>(alarm: T, identity: AlarmIdentity): T {
    tagAlarm(alarm, {
      app: this.props.app,
      kind: identity.kind,
      severity: identity.severity,
      team: identity.team,
    });
    if (identity.routed !== false)
      for (const action of this.props.alarmActions ?? []) alarm.addAlarmAction(action);
    return alarm;
  }
}
