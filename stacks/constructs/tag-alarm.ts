import type { Alarm, CfnAlarm, CompositeAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { ALARM_TAGS, type AlarmKind } from '../../functions/commons/alarm-naming';

/** The routing facts every Vigil alarm carries as tags. */
export interface AlarmTags {
  readonly app: string;
  readonly kind: AlarmKind;
  readonly severity: string;
  readonly team: string;
}

/**
 * Puts Vigil's routing tags (`vigil:severity`, `vigil:team`, ...) on an alarm, so the escalation engine can
 * route it and the console can filter by them.
 *
 * @example
 * tagAlarm(alarm, { app: 'shop', kind: 'check', severity: 'critical', team: 'platform' });
 */
export const tagAlarm = (alarm: Alarm | CompositeAlarm, tags: AlarmTags): void => {
  const cfn = alarm.node.defaultChild as CfnAlarm;
  cfn.tags = [
    { key: ALARM_TAGS.app, value: tags.app },
    { key: ALARM_TAGS.kind, value: tags.kind },
    { key: ALARM_TAGS.severity, value: tags.severity },
    { key: ALARM_TAGS.team, value: tags.team },
  ];
};
