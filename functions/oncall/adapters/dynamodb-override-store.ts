import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { OnCallOverrideConflictError } from '../core/errors';
import type { OverrideAuditRecord, ScheduleOverride } from '../types/override';
import type { OverrideStore } from '../types/ports';

/** Days an override is kept after it ends before DynamoDB's TTL removes it. */
export const OVERRIDE_RETENTION_DAYS = 90;
/** Days an audit record is kept. */
export const AUDIT_RETENTION_DAYS = 400;

const DAY_S = 86_400;
const OVERRIDES_PK = 'override';
const AUDIT_PK = 'audit';

/**
 * {@link OverrideStore} on the on-call table (see `stacks/constructs/oncall/oncall-table.ts`):
 *
 * | item     | pk         | sk                        | other attributes                         |
 * | -------- | ---------- | ------------------------- | ---------------------------------------- |
 * | override | `override` | `override#<id>`           | `schedule`, `data` (JSON), `expiresAt`   |
 * | audit    | `audit`    | `<ISO time>#<random>`     | `data` (JSON), `expiresAt`               |
 *
 * Overrides live in one partition: a team keeps tens to hundreds, read in one or two pages, and delete by
 * id needs no schedule. Writes are conditional, so a replayed create cannot overwrite another override.
 */
export class DynamoDbOverrideStore implements OverrideStore {
  public constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private async query(pk: string): Promise<string[]> {
    const data: string[] = [];
    let startKey: QueryCommand['input']['ExclusiveStartKey'];
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: pk } },
          ConsistentRead: true,
          ...(startKey !== undefined ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) if (item.data?.S !== undefined) data.push(item.data.S);
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return data;
  }

  public async listOverrides(schedule?: string): Promise<ScheduleOverride[]> {
    return (await this.query(OVERRIDES_PK))
      .map((text) => JSON.parse(text) as ScheduleOverride)
      .filter((override) => schedule === undefined || override.schedule === schedule)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  public async putOverride(override: ScheduleOverride): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: OVERRIDES_PK },
            sk: { S: `override#${override.id}` },
            schedule: { S: override.schedule },
            data: { S: JSON.stringify(override) },
            expiresAt: { N: String(Math.floor(override.end / 1000) + OVERRIDE_RETENTION_DAYS * DAY_S) },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error).name === 'ConditionalCheckFailedException'
      ) {
        throw new OnCallOverrideConflictError(`override '${override.id}' exists`, { cause: error });
      }
      throw error;
    }
  }

  public async deleteOverride(id: string): Promise<ScheduleOverride | undefined> {
    const result = await this.client.send(
      new DeleteItemCommand({
        TableName: this.tableName,
        Key: { pk: { S: OVERRIDES_PK }, sk: { S: `override#${id}` } },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const data = result.Attributes?.data?.S;
    return data === undefined ? undefined : (JSON.parse(data) as ScheduleOverride);
  }

  public async appendAudit(record: OverrideAuditRecord): Promise<void> {
    const suffix = randomUUID().slice(0, 8);
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          pk: { S: AUDIT_PK },
          sk: { S: `${new Date(record.at).toISOString()}#${suffix}` },
          data: { S: JSON.stringify(record) },
          expiresAt: { N: String(Math.floor(record.at / 1000) + AUDIT_RETENTION_DAYS * DAY_S) },
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  public async listAudit(): Promise<OverrideAuditRecord[]> {
    return (await this.query(AUDIT_PK))
      .map((text) => JSON.parse(text) as OverrideAuditRecord)
      .sort((a, b) => a.at - b.at);
  }
}
