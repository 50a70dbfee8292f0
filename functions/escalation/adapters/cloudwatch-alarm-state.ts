import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandOutput,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import { EscalationAlarmStateUnreadableError } from '../core/errors';
import type { AlarmSnapshot, AlarmStateValue } from '../types/incident';
import type { AlarmStatePort } from '../types/ports';

/** Options of {@link CloudWatchAlarmState}. */
export interface CloudWatchAlarmStateOptions {
  /**
   * The account the clients read alarms in (the function's own). An alarm of another account is not in
   * `DescribeAlarms`' answer although it exists: its state is unreadable here, not deleted.
   * @default unknown: an alarm's account is not compared
   */
  readonly accountId?: () => string | undefined;
}

/** The account an alarm lives in: the event's, else its ARN's (`arn:aws:cloudwatch:<region>:<account>:alarm:...`). */
const accountOf = (alarm: Pick<AlarmSnapshot, 'accountId' | 'alarmArn'>): string | undefined =>
  alarm.accountId ?? (alarm.alarmArn?.split(':')[4] || undefined);

/**
 * {@link AlarmStatePort} over CloudWatch `DescribeAlarms` (metric and composite alarms) and
 * `ListTagsForResource`, asked in the alarm's own region: check alarms of other locations are forwarded to
 * the primary region's event bus, but their state lives where they are. Only an answer that positively lists
 * no such alarm, in the alarm's own account, means deleted; a failed call (access denied, throttling after the
 * SDK's retries) or an alarm of another account is {@link EscalationAlarmStateUnreadableError}.
 */
export class CloudWatchAlarmState implements AlarmStatePort {
  /** @param clientFor the CloudWatch client of a region (build each once and reuse it) */
  public constructor(
    private readonly clientFor: (region: string) => CloudWatchClient,
    private readonly options: CloudWatchAlarmStateOptions = {},
  ) {}

  public async getState(
    alarm: Pick<AlarmSnapshot, 'alarmName' | 'region' | 'accountId' | 'alarmArn'>,
  ): Promise<AlarmStateValue | undefined> {
    const own = this.options.accountId?.();
    const theirs = accountOf(alarm);
    if (own !== undefined && theirs !== undefined && own !== theirs) {
      throw new EscalationAlarmStateUnreadableError(
        `alarm ${alarm.alarmName} is in account ${theirs}; its state cannot be read from account ${own}`,
      );
    }
    let result: DescribeAlarmsCommandOutput;
    try {
      result = await this.clientFor(alarm.region).send(
        new DescribeAlarmsCommand({
          AlarmNames: [alarm.alarmName],
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        }),
      );
    } catch (error) {
      throw new EscalationAlarmStateUnreadableError(
        `DescribeAlarms for ${alarm.alarmName} in ${alarm.region} failed: ${(error as Error).name}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const found = result.MetricAlarms?.[0] ?? result.CompositeAlarms?.[0];
    return found?.StateValue as AlarmStateValue | undefined;
  }

  public async getTags(
    alarm: Pick<AlarmSnapshot, 'alarmName' | 'alarmArn' | 'region'>,
  ): Promise<Record<string, string>> {
    const client = this.clientFor(alarm.region);
    let arn = alarm.alarmArn;
    if (arn === undefined) {
      const result = await client.send(
        new DescribeAlarmsCommand({
          AlarmNames: [alarm.alarmName],
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        }),
      );
      arn = result.MetricAlarms?.[0]?.AlarmArn ?? result.CompositeAlarms?.[0]?.AlarmArn;
    }
    if (arn === undefined) return {};
    const tags = await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
    return Object.fromEntries((tags.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
  }
}
