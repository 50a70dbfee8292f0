import type { DynamoDbJsonClient } from '../../commons/aws/dynamodb-json-client';
import { DynamoDbRequestError } from '../../commons/aws/errors';
import type { Clock } from '../../commons/clock';
import type { RunLease } from '../types/ports';

/** What DynamoDB answers when a condition expression does not hold. */
const CONDITION_FAILED = 'ConditionalCheckFailedException';

const conditionFailed = (error: unknown): boolean =>
  error instanceof DynamoDbRequestError && error.code === CONDITION_FAILED;

/**
 * {@link RunLease} on a DynamoDB table keyed by `pk` (`<schedule>#<shard>`): a conditional put takes the
 * lease when there is none, it has expired (`untilMs` < now) or it is the holder's own (the invocation's
 * request id: a retried put, or Lambda retrying the invocation of a run that died); `expiresAt` (epoch seconds, a day later)
 * lets DynamoDB's TTL remove leases of shards that no longer exist. Release deletes only the holder's own.
 * It calls DynamoDB through Vigil's lean JSON client, so building it at init costs nothing.
 *
 * @example
 * const lease = new DynamoDbRunLease(createDynamoDbJsonClient(), requireEnv('RUN_LEASE_TABLE'), Date);
 */
export class DynamoDbRunLease implements RunLease {
  public constructor(
    private readonly client: Pick<DynamoDbJsonClient, 'send'>,
    private readonly tableName: string,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  public async acquire(key: string, holder: string, untilMs: number): Promise<boolean> {
    try {
      await this.client.send('PutItem', {
        TableName: this.tableName,
        Item: {
          pk: { S: key },
          holder: { S: holder },
          untilMs: { N: String(Math.ceil(untilMs)) },
          expiresAt: { N: String(Math.ceil(untilMs / 1000) + 86_400) },
        },
        // Its own holder may take it again: the client retries a put whose answer was lost, and the
        // retry must not find the first attempt's item and skip the run.
        ConditionExpression: 'attribute_not_exists(pk) OR untilMs < :now OR holder = :holder',
        ExpressionAttributeValues: {
          ':now': { N: String(Math.floor(this.clock.now())) },
          ':holder': { S: holder },
        },
      });
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  public async release(key: string, holder: string): Promise<void> {
    try {
      await this.client.send('DeleteItem', {
        TableName: this.tableName,
        Key: { pk: { S: key } },
        ConditionExpression: 'holder = :holder',
        ExpressionAttributeValues: { ':holder': { S: holder } },
      });
    } catch (error) {
      // Another run took it after ours expired: it is theirs now.
      if (!conditionFailed(error)) throw error;
    }
  }
}
