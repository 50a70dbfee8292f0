import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDbJsonClient } from '../../../functions/commons/aws/dynamodb-json-client';
import { traceAwsSdkClient } from '../../../functions/commons/aws-sdk-call-tracing';
import { createAwsSecretBackend } from '../../../functions/commons/aws-secret-backend';
import { XrayDaemonTracing } from '../../../functions/synthetics/adapters/xray-daemon-tracing';
import { startTestServer, type TestServer } from '../../helpers/http/test-server';
import { createPkSkTable } from '../../helpers/moto-tables';
import { startTestXrayDaemon, type TestXrayDaemon } from '../../helpers/xray-daemon';

const TRACE_ID = '1-65920080-0123456789abcdef01234567';
const LAMBDA_SEGMENT = '53995c3f42cd8ad8';
const RUN = Date.now();

describe('traceAwsSdkClient through the X-Ray daemon adapter (an `aws` subsegment per call, no X-Ray SDK)', () => {
  let daemon: TestXrayDaemon;
  let tracing: XrayDaemonTracing;
  /** An AWS endpoint on 127.0.0.1 that answers with DynamoDB's throttling and server errors. */
  let failing: TestServer;
  const table = `vigil-traced-${RUN}`;

  beforeAll(async () => {
    daemon = await startTestXrayDaemon();
    tracing = new XrayDaemonTracing({
      traceHeader: () => `Root=${TRACE_ID};Parent=${LAMBDA_SEGMENT};Sampled=1`,
      daemon: { host: '127.0.0.1', port: daemon.port },
    });
    await createPkSkTable(table);
    const dynamoDbError = (status: number, type: string) => ({
      status,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `REQ-${status}` },
      body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: `${type} here` }),
    });
    failing = await startTestServer({
      '/': (request, response) => {
        const spec = request.headers['x-amz-target']?.toString().endsWith('.PutItem')
          ? dynamoDbError(400, 'ProvisionedThroughputExceededException')
          : dynamoDbError(500, 'InternalServerError');
        response.writeHead(spec.status, spec.headers);
        response.end(spec.body);
      },
    });
  });

  afterAll(async () => {
    await failing.close();
    await daemon.close();
  });

  beforeEach(() => {
    daemon.documents.length = 0;
  });

  const onFailingEndpoint = () =>
    traceAwsSdkClient(tracing.traceAwsCall)(
      new DynamoDBClient({
        endpoint: failing.url,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'not-a-secret' },
        maxAttempts: 2,
      }),
    );

  it('traces a DynamoDB call on moto: service, operation, region, table, request id, status, no retries', async () => {
    // Prepare
    const dynamodb = traceAwsSdkClient(tracing.traceAwsCall)(new DynamoDBClient({}));

    // Act
    await dynamodb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, sk: { S: 'b' } } }));
    await daemon.waitFor(1);

    // Assess
    const [doc] = daemon.documents;
    expect(doc).toMatchObject({
      name: 'DynamoDB',
      namespace: 'aws',
      type: 'subsegment',
      trace_id: TRACE_ID,
      parent_id: LAMBDA_SEGMENT,
      aws: { operation: 'PutItem', region: await dynamodb.config.region(), table_name: table, retries: 0 },
      http: { response: { status: 200 } },
    });
    expect(doc?.aws?.request_id).toEqual(expect.any(String));
    expect(doc?.end_time).toBeGreaterThanOrEqual(doc?.start_time ?? Number.POSITIVE_INFINITY);
    expect([doc?.error, doc?.fault, doc?.throttle, doc?.cause]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('records a conditional check failure as a client error with its remote cause, not a fault', async () => {
    // Prepare
    const dynamodb = traceAwsSdkClient(tracing.traceAwsCall)(new DynamoDBClient({}));
    const item = { pk: { S: 'held' }, sk: { S: 'lease' } };
    await dynamodb.send(new PutItemCommand({ TableName: table, Item: item }));

    // Act
    await expect(
      dynamodb.send(
        new PutItemCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      ),
    ).rejects.toThrow(expect.objectContaining({ name: 'ConditionalCheckFailedException' }));
    await daemon.waitFor(2);

    // Assess
    const failed = daemon.documents[1];
    expect(failed).toMatchObject({
      name: 'DynamoDB',
      aws: { operation: 'PutItem', table_name: table, retries: 0 },
      http: { response: { status: 400 } },
      error: true,
      cause: { exceptions: [{ type: 'ConditionalCheckFailedException', remote: true }] },
    });
    expect([failed?.fault, failed?.throttle]).toEqual([undefined, undefined]);
  });

  it('flags a throttled call as throttle and error, counting its retry', async () => {
    // Act
    await expect(
      onFailingEndpoint().send(new PutItemCommand({ TableName: 'busy', Item: { pk: { S: 'a' } } })),
    ).rejects.toThrow(expect.objectContaining({ name: 'ProvisionedThroughputExceededException' }));
    await daemon.waitFor(1);

    // Assess
    expect(
      failing.requests.filter(({ headers }) => String(headers['x-amz-target']).endsWith('.PutItem')),
    ).toHaveLength(2);
    expect(daemon.documents).toEqual([
      expect.objectContaining({
        name: 'DynamoDB',
        aws: {
          operation: 'PutItem',
          region: 'eu-west-1',
          table_name: 'busy',
          request_id: 'REQ-400',
          retries: 1,
        },
        http: { response: { status: 400 } },
        throttle: true,
        error: true,
      }),
    ]);
    expect(daemon.documents[0]?.fault).toBeUndefined();
  });

  it("flags the lean DynamoDB client's throttled call as throttle too (its error's code, not its name)", async () => {
    // Prepare: the run lease's client, on the same throttling endpoint
    const lean = new DynamoDbJsonClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'not-a-secret' },
      endpoint: failing.url,
      trace: tracing.traceAwsCall,
      clock: { sleep: async () => undefined },
      maxAttempts: 2,
    });
    // Act
    await expect(lean.send('PutItem', { TableName: 'busy', Item: { pk: { S: 'a' } } })).rejects.toThrow(
      expect.objectContaining({
        name: 'DynamoDbRequestError',
        code: 'ProvisionedThroughputExceededException',
      }),
    );
    lean.destroy();
    await daemon.waitFor(1);
    // Assess
    expect(daemon.documents).toEqual([
      expect.objectContaining({
        name: 'DynamoDB',
        throttle: true,
        error: true,
        http: { response: { status: 400 } },
      }),
    ]);
    expect(daemon.documents[0]?.fault).toBeUndefined();
  });

  it('flags a server error as a fault', async () => {
    // Act
    await expect(
      onFailingEndpoint().send(new GetItemCommand({ TableName: 'down', Key: { pk: { S: 'a' } } })),
    ).rejects.toThrow(expect.objectContaining({ name: 'InternalServerError' }));
    await daemon.waitFor(1);

    // Assess
    expect(daemon.documents[0]).toMatchObject({
      aws: { operation: 'GetItem', table_name: 'down', request_id: 'REQ-500', retries: 1 },
      http: { response: { status: 500 } },
      fault: true,
      cause: { exceptions: [{ type: 'InternalServerError', remote: true }] },
    });
    expect(daemon.documents[0]?.error).toBeUndefined();
  });

  it("traces the secrets backend's Secrets Manager and SSM calls, never their values", async () => {
    // Prepare: a secret and a parameter on moto
    const secretId = `vigil-test/traced-${RUN}`;
    const parameter = `/vigil-test/traced-${RUN}`;
    await new SecretsManagerClient({}).send(
      new CreateSecretCommand({ Name: secretId, SecretString: 'sm-value-1' }),
    );
    await new SSMClient({}).send(
      new PutParameterCommand({ Name: parameter, Value: 'ssm-value-2', Type: 'SecureString' }),
    );
    const backend = createAwsSecretBackend(traceAwsSdkClient(tracing.traceAwsCall));

    // Act
    const values = [await backend.secretsManager(secretId), await backend.ssm(parameter)];
    await daemon.waitFor(2);

    // Assess
    expect(values).toEqual(['sm-value-1', 'ssm-value-2']);
    expect(daemon.documents).toEqual([
      expect.objectContaining({
        name: 'SecretsManager',
        namespace: 'aws',
        parent_id: LAMBDA_SEGMENT,
        aws: expect.objectContaining({ operation: 'GetSecretValue', secret_id: secretId, retries: 0 }),
        http: { response: { status: 200 } },
      }),
      expect.objectContaining({
        name: 'SSM',
        aws: expect.objectContaining({ operation: 'GetParameter', retries: 0 }),
        http: { response: { status: 200 } },
      }),
    ]);
    expect(JSON.stringify(daemon.documents)).not.toMatch(/sm-value-1|ssm-value-2/);
  });
});
