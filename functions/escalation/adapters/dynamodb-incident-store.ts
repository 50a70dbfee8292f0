import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { AckRecord, AuditRecord, Incident } from '../types/incident';
import type { IncidentStore } from '../types/ports';
import { auditKey } from './audit-key';

/** How long incident records are kept before DynamoDB's TTL removes them. */
export const INCIDENT_RETENTION_DAYS = 90;

/**
 * {@link IncidentStore} on one DynamoDB table (`pk` = `incident#<id>`, `sk` = `incident` | `ack` | `audit#...`).
 * Creates and acks are conditional writes, so replays and double clicks are harmless.
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
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error).name === 'ConditionalCheckFailedException'
      ) {
        return false;
      }
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
}
