import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoDbJsonClient } from '../../../../functions/commons/aws/create-dynamodb-json-client';
import type { DynamoDbJsonClient } from '../../../../functions/commons/aws/dynamodb-json-client';
import { DynamoDbRequestError } from '../../../../functions/commons/aws/errors';
import { DynamoDbRunLease } from '../../../../functions/synthetics/adapters/dynamodb-run-lease';

// The run lease through Vigil's lean DynamoDB client against moto (the real JSON protocol and condition
// expressions; AWS_ENDPOINT_URL from the global setup). The table is created and read with the SDK.

const NOW = Date.parse('2026-12-02T06:00:00Z');
const sdk = new DynamoDBClient({});
let client: DynamoDbJsonClient;
let tables = 0;

const leaseTable = async (): Promise<string> => {
  tables += 1;
  const tableName = `vigil-lease-${Date.now()}-${tables}`;
  await sdk.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return tableName;
};

const itemOf = async (tableName: string, pk: string) =>
  (await sdk.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk } }, ConsistentRead: true })))
    .Item;

beforeAll(() => {
  client = createDynamoDbJsonClient();
});

afterAll(() => {
  client.destroy();
  sdk.destroy();
});

describe('DynamoDbRunLease on moto', () => {
  it('takes a free lease and stores the holder, its end and a TTL a day after it', async () => {
    // Prepare
    const tableName = await leaseTable();
    const lease = new DynamoDbRunLease(client, tableName, { now: () => NOW });
    // Act
    const taken = await lease.acquire('every-1m#0', 'run-a', NOW + 60_000.4);
    // Assess
    expect(taken).toBe(true);
    expect(await itemOf(tableName, 'every-1m#0')).toEqual({
      pk: { S: 'every-1m#0' },
      holder: { S: 'run-a' },
      untilMs: { N: String(NOW + 60_001) },
      expiresAt: { N: String(Math.ceil((NOW + 60_001) / 1000) + 86_400) },
    });
  });

  it('refuses a lease another run holds until its end, and leaves it to that run', async () => {
    // Prepare
    const tableName = await leaseTable();
    const lease = new DynamoDbRunLease(client, tableName, { now: () => NOW });
    await lease.acquire('every-1m#0', 'run-a', NOW + 60_000);
    // Act
    const taken = await lease.acquire('every-1m#0', 'run-b', NOW + 120_000);
    // Assess
    expect(taken).toBe(false);
    expect((await itemOf(tableName, 'every-1m#0'))?.holder).toEqual({ S: 'run-a' });
  });

  it('takes its own lease again: a put retried after its answer was lost does not skip the run', async () => {
    // Prepare: run-a's first put landed, its answer did not (the client retries the same put)
    const tableName = await leaseTable();
    const lease = new DynamoDbRunLease(client, tableName, { now: () => NOW });
    await lease.acquire('every-1m#0', 'run-a', NOW + 60_000);
    // Act
    const retried = await lease.acquire('every-1m#0', 'run-a', NOW + 60_000);
    const other = await lease.acquire('every-1m#0', 'run-b', NOW + 60_000);
    // Assess
    expect(retried).toBe(true);
    expect(other).toBe(false);
    expect((await itemOf(tableName, 'every-1m#0'))?.holder).toEqual({ S: 'run-a' });
  });

  it('takes over a lease whose end has passed', async () => {
    // Prepare: run-a died holding a lease that ended a millisecond ago
    const tableName = await leaseTable();
    await new DynamoDbRunLease(client, tableName, { now: () => NOW }).acquire('every-1m#0', 'run-a', NOW - 1);
    const lease = new DynamoDbRunLease(client, tableName, { now: () => NOW });
    // Act
    const taken = await lease.acquire('every-1m#0', 'run-b', NOW + 60_000);
    // Assess
    expect(taken).toBe(true);
    expect((await itemOf(tableName, 'every-1m#0'))?.holder).toEqual({ S: 'run-b' });
  });

  it('releases only its own lease: a run whose lease was taken over leaves the new holder alone', async () => {
    // Prepare: run-b took over run-a's expired lease
    const tableName = await leaseTable();
    const lease = new DynamoDbRunLease(client, tableName, { now: () => NOW });
    await lease.acquire('every-1m#0', 'run-a', NOW - 1);
    await lease.acquire('every-1m#0', 'run-b', NOW + 60_000);
    // Act
    await lease.release('every-1m#0', 'run-a');
    const afterStaleRelease = await itemOf(tableName, 'every-1m#0');
    await lease.release('every-1m#0', 'run-b');
    // Assess
    expect(afterStaleRelease?.holder).toEqual({ S: 'run-b' });
    expect(await itemOf(tableName, 'every-1m#0')).toBeUndefined();
  });

  it('fails with the DynamoDB error, not a refused lease, when the table does not exist', async () => {
    // Prepare
    const lease = new DynamoDbRunLease(client, 'vigil-lease-missing-table', { now: () => NOW });
    // Act
    const acquiring = lease.acquire('every-1m#0', 'run-a', NOW + 60_000);
    // Assess
    await expect(acquiring).rejects.toThrow(DynamoDbRequestError);
    await expect(acquiring).rejects.toMatchObject({
      operation: 'PutItem',
      code: 'ResourceNotFoundException',
      status: 400,
    });
  });
});
