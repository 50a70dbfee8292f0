import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import type { AlarmSnapshot, AlarmStateValue } from '../types/incident';
import type { AlarmStatePort } from '../types/ports';

/**
 * {@link AlarmStatePort} over CloudWatch `DescribeAlarms` (metric and composite alarms) and
 * `ListTagsForResource`, asked in the alarm's own region: check alarms of other locations are forwarded to
 * the primary region's event bus, but their state lives where they are.
 */
export class CloudWatchAlarmState implements AlarmStatePort {
  /** @param clientFor the CloudWatch client of a region (build each once and reuse it) */
  public constructor(private readonly clientFor: (region: string) => CloudWatchClient) {}

  public async getState(
    alarm: Pick<AlarmSnapshot, 'alarmName' | 'region'>,
  ): Promise<AlarmStateValue | undefined> {
    const result = await this.clientFor(alarm.region).send(
      new DescribeAlarmsCommand({
        AlarmNames: [alarm.alarmName],
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      }),
    );
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
