import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ShiftNoticeLog, ShiftNoticeRecord } from '../types/ports';

/** Days a notice record is kept after the stint it announced ends. */
export const NOTICE_RETENTION_DAYS = 30;
const NOTICES_PK = 'notice';

/**
 * {@link ShiftNoticeLog} on the on-call table: item `pk = notice`, `sk = <schedule>#<person>#<ISO start>`,
 * `data` (JSON: the record with each delivery's outcome), `expiresAt` (end of the stint + 30 days). The claim
 * is a conditional put, so two runs racing for a handoff send one notice.
 */
export class DynamoDbNoticeLog implements ShiftNoticeLog {
  public constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private put(record: ShiftNoticeRecord, conditional: boolean) {
    return this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          pk: { S: NOTICES_PK },
          sk: { S: record.key },
          data: { S: JSON.stringify(record) },
          expiresAt: { N: String(Math.floor(record.end / 1000) + NOTICE_RETENTION_DAYS * 86_400) },
        },
        ...(conditional ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
      }),
    );
  }

  public async claim(record: ShiftNoticeRecord): Promise<boolean> {
    try {
      await this.put(record, true);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  public async complete(record: ShiftNoticeRecord): Promise<void> {
    await this.put(record, false);
  }
}
