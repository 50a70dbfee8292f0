import {
  type AttributeValue,
  type DynamoDBClient,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { HeartbeatStoreError } from '../errors';
import type { HeartbeatRecord, PingKind, PingRecord } from '../types/heartbeat-record';
import type { HeartbeatStore } from '../types/ports';

/** The table's partition key: the heartbeat's name. */
export const HEARTBEAT_TABLE_KEY = 'heartbeat';

const TIME_FIELD = { start: 'lastStartAt', success: 'lastSuccessAt', fail: 'lastFailAt' } as const;
const KINDS: ReadonlySet<string> = new Set<PingKind>(['start', 'success', 'fail']);
/** Pages read per evaluation: 1 MB each, far more than any config's heartbeats. */
const MAX_PAGES = 100;

const numberOf = (item: Record<string, AttributeValue>, key: string): number | undefined => {
  const value = item[key]?.N;
  return value !== undefined ? Number(value) : undefined;
};

const recordOf = (item: Record<string, AttributeValue>): HeartbeatRecord | undefined => {
  const name = item[HEARTBEAT_TABLE_KEY]?.S;
  const lastPingAt = numberOf(item, 'lastPingAt');
  const lastKind = item.lastKind?.S;
  if (name === undefined || lastPingAt === undefined || lastKind === undefined || !KINDS.has(lastKind))
    return undefined;
  const optional = {
    lastStartAt: numberOf(item, 'lastStartAt'),
    lastSuccessAt: numberOf(item, 'lastSuccessAt'),
    lastFailAt: numberOf(item, 'lastFailAt'),
    lastExitCode: numberOf(item, 'lastExitCode'),
    lastOutput: item.lastOutput?.S,
  };
  return {
    name,
    lastPingAt,
    lastKind: lastKind as PingKind,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
};

/**
 * A {@link HeartbeatStore} on DynamoDB: one item per heartbeat, updated by one `UpdateItem` per ping (which
 * returns the item as it was, so a success can time its run) and read by one `Scan` per evaluation.
 */
export class DynamoDbHeartbeatStore implements HeartbeatStore {
  public constructor(
    private readonly client: Pick<DynamoDBClient, 'send'>,
    private readonly tableName: string,
  ) {}

  public async recordPing(ping: PingRecord): Promise<HeartbeatRecord | undefined> {
    const set = ['lastPingAt = :at', 'lastKind = :kind', `${TIME_FIELD[ping.kind]} = :at`];
    const remove: string[] = [];
    const values: Record<string, AttributeValue> = {
      ':at': { N: String(ping.at) },
      ':kind': { S: ping.kind },
    };
    if (ping.kind !== 'start') {
      if (ping.exitCode !== undefined) {
        set.push('lastExitCode = :code');
        values[':code'] = { N: String(ping.exitCode) };
      } else remove.push('lastExitCode');
      if (ping.output !== undefined) {
        set.push('lastOutput = :output');
        values[':output'] = { S: ping.output };
      } else remove.push('lastOutput');
    }
    try {
      const result = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { [HEARTBEAT_TABLE_KEY]: { S: ping.name } },
          UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_OLD',
        }),
      );
      return result.Attributes !== undefined ? recordOf(result.Attributes) : undefined;
    } catch (error) {
      throw new HeartbeatStoreError(`cannot record a ping of heartbeat '${ping.name}'`, { cause: error });
    }
  }

  public async readAll(): Promise<ReadonlyMap<string, HeartbeatRecord>> {
    const records = new Map<string, HeartbeatRecord>();
    let start: Record<string, AttributeValue> | undefined;
    try {
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const result = await this.client.send(
          new ScanCommand({
            TableName: this.tableName,
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of result.Items ?? []) {
          const record = recordOf(item);
          if (record !== undefined) records.set(record.name, record);
        }
        start = result.LastEvaluatedKey;
        if (start === undefined) break;
      }
    } catch (error) {
      throw new HeartbeatStoreError('cannot read the heartbeats', { cause: error });
    }
    return records;
  }
}
