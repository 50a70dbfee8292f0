import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../commons/clock';
import type { RunLease } from '../types/ports';

/**
 * {@link RunLease} on a DynamoDB table keyed by `pk` (`<schedule>#<shard>`): a conditional put takes the
 * lease when there is none or it has expired (`untilMs` < now); `expiresAt` (epoch seconds, a day later)
 * lets DynamoDB's TTL remove leases of shards that no longer exist. Release deletes only the holder's own.
 *
 * @example
 * const lease = new DynamoDbRunLease(new DynamoDBClient({}), process.env.RUN_LEASE_TABLE!, realClock);
 */
export class DynamoDbRunLease implements RunLease {
  public constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  public async acquire(key: string, holder: string, untilMs: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: key },
            holder: { S: holder },
            untilMs: { N: String(Math.ceil(untilMs)) },
            expiresAt: { N: String(Math.ceil(untilMs / 1000) + 86_400) },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR untilMs < :now',
          ExpressionAttributeValues: { ':now': { N: String(Math.floor(this.clock.now())) } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  public async release(key: string, holder: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: key } },
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': { S: holder } },
        }),
      );
    } catch (error) {
      // Another run took it after ours expired: it is theirs now.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
