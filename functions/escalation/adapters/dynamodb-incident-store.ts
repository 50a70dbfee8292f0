import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AckRecord, AlarmClaim, AuditRecord, Incident } from '../types/incident';
import type { IncidentStore } from '../types/ports';
import { auditKey } from './audit-key';

/** How long incident records are kept before DynamoDB's TTL removes them. */
export const INCIDENT_RETENTION_DAYS = 90;

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error as Error).name === 'ConditionalCheckFailedException';

/**
 * {@link IncidentStore} on one DynamoDB table (`pk` = `incident#<id>`, `sk` = `incident` | `ack` | `audit#...`;
 * `pk` = `alarm#<region>:<name>`, `sk` = `open` for an alarm's one open incident). Creates, acks and alarm
 * claims are conditional writes, so replays, double clicks and two executions for one alarm are harmless.
 */
export class DynamoDbIncidentStore implements IncidentStore {
  public constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private async putOnce(id: string, sk: string, data: unknown, at: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: `incident#${id}` },
            sk: { S: sk },
            at: { N: String(at) },
            data: { S: JSON.stringify(data) },
            expiresAt: { N: String(Math.floor(at / 1000) + INCIDENT_RETENTION_DAYS * 86_400) },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async get<T>(id: string, sk: string): Promise<T | undefined> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { pk: { S: `incident#${id}` }, sk: { S: sk } },
        ConsistentRead: true,
      }),
    );
    const data = result.Item?.data?.S;
    return data === undefined ? undefined : (JSON.parse(data) as T);
  }

  public createIncident(incident: Incident): Promise<boolean> {
    return this.putOnce(incident.id, 'incident', incident, incident.startedAt);
  }

  public getIncident(incidentId: string): Promise<Incident | undefined> {
    return this.get<Incident>(incidentId, 'incident');
  }

  public async recordAck(ack: AckRecord): Promise<{ ack: AckRecord; created: boolean }> {
    if (await this.putOnce(ack.incidentId, 'ack', ack, ack.at)) return { ack, created: true };
    return { ack: (await this.getAck(ack.incidentId)) ?? ack, created: false };
  }

  public getAck(incidentId: string): Promise<AckRecord | undefined> {
    return this.get<AckRecord>(incidentId, 'ack');
  }

  public async appendAudit(record: AuditRecord): Promise<void> {
    await this.putOnce(record.incidentId, auditKey(record), record, record.at);
  }

  public async listAudit(incidentId: string): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    let startKey: QueryCommand['input']['ExclusiveStartKey'];
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
          ExpressionAttributeValues: { ':pk': { S: `incident#${incidentId}` }, ':audit': { S: 'audit#' } },
          ConsistentRead: true,
          ...(startKey !== undefined ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? [])
        if (item.data?.S) records.push(JSON.parse(item.data.S) as AuditRecord);
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return records.sort((a, b) => a.at - b.at);
  }

  private claimItem(claim: AlarmClaim): Record<string, AttributeValue> {
    return {
      pk: { S: `alarm#${claim.alarmKey}` },
      sk: { S: 'open' },
      incidentId: { S: claim.incidentId },
      until: { N: String(claim.until) },
      ...(claim.token !== undefined ? { token: { S: claim.token } } : {}),
      // Kept a while after `until` for the record; a dead holder is taken over at `until` already.
      expiresAt: { N: String(Math.floor(claim.until / 1000) + INCIDENT_RETENTION_DAYS * 86_400) },
    };
  }

  private async putClaim(claim: AlarmClaim, condition: string, values: Record<string, AttributeValue>) {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: this.claimItem(claim),
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  public async claimAlarm(
    claim: Omit<AlarmClaim, 'token'>,
    now: number,
  ): Promise<{ claimed: boolean; holder: AlarmClaim }> {
    const claimed = await this.putClaim(
      claim,
      'attribute_not_exists(pk) OR incidentId = :me OR #until < :now',
      { ':me': { S: claim.incidentId }, ':now': { N: String(now) } },
    );
    if (claimed) return { claimed, holder: claim };
    return { claimed, holder: (await this.getAlarmClaim(claim.alarmKey)) ?? claim };
  }

  public renewAlarm(claim: AlarmClaim): Promise<boolean> {
    // `#until` is named so the condition's attribute names are all used.
    return this.putClaim(claim, 'incidentId = :me AND attribute_exists(#until)', {
      ':me': { S: claim.incidentId },
    });
  }

  public async releaseAlarm(alarmKey: string, incidentId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: `alarm#${alarmKey}` }, sk: { S: 'open' } },
          ConditionExpression: 'incidentId = :me',
          ExpressionAttributeValues: { ':me': { S: incidentId } },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  public async getAlarmClaim(alarmKey: string): Promise<AlarmClaim | undefined> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { pk: { S: `alarm#${alarmKey}` }, sk: { S: 'open' } },
        ConsistentRead: true,
      }),
    );
    const item = result.Item;
    if (item?.incidentId?.S === undefined || item.until?.N === undefined) return undefined;
    return {
      alarmKey,
      incidentId: item.incidentId.S,
      until: Number(item.until.N),
      ...(item.token?.S !== undefined ? { token: item.token.S } : {}),
    };
  }

  /**
   * State changes live in a number set on `alarm#<key>` / `transitions`: `ADD` of an instant already there
   * keeps one (a replayed open counts once); those before `since` are then deleted from it.
   */
  public async alarmTransitions(
    alarmKey: string,
    update: { readonly since: number; readonly add?: number },
  ): Promise<number[]> {
    const Key = { pk: { S: `alarm#${alarmKey}` }, sk: { S: 'transitions' } };
    const item =
      update.add !== undefined
        ? (
            await this.client.send(
              new UpdateItemCommand({
                TableName: this.tableName,
                Key,
                UpdateExpression: 'ADD #at :at SET expiresAt = :expires',
                ExpressionAttributeNames: { '#at': 'at' },
                ExpressionAttributeValues: {
                  ':at': { NS: [String(update.add)] },
                  ':expires': { N: String(Math.floor(update.add / 1000) + INCIDENT_RETENTION_DAYS * 86_400) },
                },
                ReturnValues: 'ALL_NEW',
              }),
            )
          ).Attributes
        : (
            await this.client.send(
              new GetItemCommand({ TableName: this.tableName, Key, ConsistentRead: true }),
            )
          ).Item;
    const all = (item?.at?.NS ?? []).map(Number);
    const old = all.filter((at) => at < update.since);
    if (old.length > 0)
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression: 'DELETE #at :old',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':old': { NS: old.map(String) } },
        }),
      );
    return all.filter((at) => at >= update.since).sort((a, b) => a - b);
  }
}
