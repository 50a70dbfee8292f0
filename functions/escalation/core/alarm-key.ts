import type { AlarmSnapshot } from '../types/incident';

/**
 * The key of an alarm's one open incident: region and name, fields every path an alarm event takes
 * (EventBridge, SNS, local) carries.
 *
 * @example
 * alarmKey({ region: 'eu-west-1', alarmName: 'shop-check-health' }); // 'eu-west-1:shop-check-health'
 */
export const alarmKey = (alarm: Pick<AlarmSnapshot, 'region' | 'alarmName'>): string =>
  `${alarm.region}:${alarm.alarmName}`;
