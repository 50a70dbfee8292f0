import type http from 'node:http';
import { inspect } from 'node:util';
import { createDynamoDbJsonClient } from '../../../../functions/commons/aws/create-dynamodb-json-client';
import {
  DynamoDbJsonClient,
  type DynamoDbJsonClientOptions,
} from '../../../../functions/commons/aws/dynamodb-json-client';
import { AwsClientConfigError, DynamoDbRequestError } from '../../../../functions/commons/aws/errors';
import type { AwsCall, AwsCallOutcome, TraceAwsCall } from '../../../../functions/commons/aws-call-tracing';
import { type RecordedRequest, startTestServer, type TestServer } from '../../../helpers/http/test-server';
import { type SkippingClock, skippingClock } from '../../../helpers/skipping-clock';

// The lean DynamoDB client against a 127.0.0.1 stand-in speaking DynamoDB's JSON (error) protocol: each
// request takes the next scripted reply. Waits between attempts go through a skipping clock (no real time).

const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN0123456789';
const PUT = { TableName: 'leases', Item: { pk: { S: 'every-1m#0' } } };

type Reply = (response: http.ServerResponse, request: RecordedRequest) => void;

let replies = 0;
const answer =
  (status: number, body: string, headers: Record<string, string> = {}): Reply =>
  (response) => {
    replies += 1;
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': `req-${replies}`,
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    });
    response.end(body);
  };
const ok = (body: object = {}): Reply => answer(200, JSON.stringify(body));
const awsError = (status: number, type: string, message = `${type} happened`): Reply =>
  answer(status, JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }));
/** The server closes the connection without answering. */
const drop: Reply = (response) => response.socket?.destroy();
/** Headers and part of the declared body, then the connection closes. */
const truncate: Reply = (response) => {
  response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': '100' });
  response.write('{"Attributes":');
  setImmediate(() => response.socket?.destroy());
};
/** Accepts the request and never answers. */
const hang: Reply = () => undefined;

interface Span {
  readonly call: AwsCall;
  outcome?: AwsCallOutcome;
}

describe('DynamoDbJsonClient', () => {
  let server: TestServer;
  let script: Reply[];
  let clock: SkippingClock;
  let spans: Span[];
  const clients: DynamoDbJsonClient[] = [];

  const recordingTrace: TraceAwsCall = (call) => {
    const span: Span = { call };
    spans.push(span);
    return {
      end: (outcome) => {
        span.outcome = outcome;
      },
    };
  };

  const client = (options: Partial<DynamoDbJsonClientOptions> = {}): DynamoDbJsonClient => {
    const made = new DynamoDbJsonClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET_KEY, sessionToken: SESSION_TOKEN },
      endpoint: server.url,
      clock,
      random: () => 0.5,
      trace: recordingTrace,
      ...options,
    });
    clients.push(made);
    return made;
  };

  beforeAll(async () => {
    server = await startTestServer({
      '/': (request, response) => {
        const reply = script.shift() ?? awsError(500, 'InternalServerError', 'the script ran out');
        reply(response, request);
      },
    });
  });

  beforeEach(() => {
    script = [];
    clock = skippingClock();
    spans = [];
    server.requests.length = 0;
  });

  afterAll(async () => {
    for (const made of clients) made.destroy();
    await server.close();
  });

  it("sends a SigV4-signed JSON-protocol POST and returns DynamoDB's JSON answer", async () => {
    // Prepare
    script = [ok({ Attributes: { pk: { S: 'every-1m#0' } } })];
    // Act
    const answered = await client().send('PutItem', PUT);
    // Assess
    expect(answered).toEqual({ Attributes: { pk: { S: 'every-1m#0' } } });
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/', body: JSON.stringify(PUT) });
    expect(request?.headers).toMatchObject({
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.PutItem',
      'x-amz-security-token': SESSION_TOKEN,
      host: `127.0.0.1:${server.port}`,
    });
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=[^,]*x-amz-target[^,]*, Signature=[0-9a-f]{64}$/,
    );
  });

  it.each([
    ['HTTP 500', awsError(500, 'InternalServerError')],
    ['HTTP 503', awsError(503, 'ServiceUnavailable')],
    ['a ThrottlingException', awsError(400, 'ThrottlingException')],
    ['a ProvisionedThroughputExceededException', awsError(400, 'ProvisionedThroughputExceededException')],
    ['a dropped connection', drop],
    ['an answer cut short', truncate],
    ['HTTP 502 with a body that is not JSON', answer(502, '<html>Bad Gateway</html>')],
  ])('retries after %s and returns the next attempt’s answer', async (_what, failure) => {
    // Prepare
    script = [failure, ok({ ConsumedCapacity: { CapacityUnits: 1 } })];
    // Act
    const answered = await client().send('PutItem', PUT);
    // Assess
    expect(answered).toEqual({ ConsumedCapacity: { CapacityUnits: 1 } });
    expect(server.requests).toHaveLength(2);
    expect(clock.sleeps).toEqual([50]);
  });

  it('backs off exponentially with full jitter between attempts, up to its attempt limit', async () => {
    // Prepare
    script = [
      awsError(500, 'InternalServerError'),
      awsError(503, 'ServiceUnavailable'),
      awsError(400, 'ThrottlingException'),
      drop,
      ok(),
    ];
    // Act
    const answered = await client({ maxAttempts: 5, random: () => 0.25 }).send('PutItem', PUT);
    // Assess
    expect(answered).toEqual({});
    expect(server.requests).toHaveLength(5);
    expect(clock.sleeps).toEqual([25, 50, 100, 200]);
  });

  it('signs every attempt afresh and sends the same body each time', async () => {
    // Prepare
    script = [awsError(503, 'ServiceUnavailable'), ok()];
    // Act
    await client().send('PutItem', PUT);
    // Assess
    expect(server.requests.map((request) => request.body)).toEqual([
      JSON.stringify(PUT),
      JSON.stringify(PUT),
    ]);
    expect(server.requests.every((request) => request.headers['x-amz-date'] !== undefined)).toBe(true);
  });

  it.each([
    ['ValidationException', 400],
    ['ConditionalCheckFailedException', 400],
    ['AccessDeniedException', 400],
    ['ResourceNotFoundException', 400],
  ])('does not retry a %s and names it in the error', async (type, status) => {
    // Prepare
    script = [awsError(status, type, 'One or more parameter values were invalid'), ok()];
    // Act
    const sending = client().send('PutItem', PUT);
    // Assess
    await expect(sending).rejects.toThrow(DynamoDbRequestError);
    await expect(sending).rejects.toMatchObject({
      operation: 'PutItem',
      code: type,
      status,
      requestId: expect.stringMatching(/^req-\d+$/),
      retries: 0,
      message: expect.stringContaining(`DynamoDB PutItem failed: ${type} (HTTP 400)`),
    });
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('gives up after 3 attempts with an error naming the operation, the code and the attempts', async () => {
    // Prepare
    script = [
      awsError(503, 'ServiceUnavailable'),
      awsError(503, 'ServiceUnavailable'),
      awsError(503, 'ServiceUnavailable', 'Service is busy'),
      ok(),
    ];
    // Act
    const sending = client().send('DeleteItem', { TableName: 'leases', Key: { pk: { S: 'x' } } });
    // Assess
    await expect(sending).rejects.toMatchObject({
      name: 'DynamoDbRequestError',
      code: 'ServiceUnavailable',
      status: 503,
      retries: 2,
      message: expect.stringMatching(
        /^DynamoDB DeleteItem failed: ServiceUnavailable \(HTTP 503\): Service is busy \(3 attempts, request id req-\d+\)$/,
      ),
    });
    expect(server.requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([50, 100]);
  });

  it('refuses a success answer whose body is not JSON, without retrying', async () => {
    // Prepare
    script = [answer(200, 'not json at all'), ok()];
    // Act
    const sending = client().send('PutItem', PUT);
    // Assess
    await expect(sending).rejects.toMatchObject({
      code: 'MalformedResponse',
      status: 200,
      message: expect.stringContaining('the answer is not a JSON object (15 bytes)'),
    });
    expect(server.requests).toHaveLength(1);
  });

  it('names an error answer without DynamoDB’s JSON error by its HTTP status', async () => {
    // Prepare
    script = [answer(403, '<Error>Forbidden</Error>')];
    // Act
    const sending = client().send('PutItem', PUT);
    // Assess
    await expect(sending).rejects.toMatchObject({
      code: 'Http403',
      status: 403,
      retries: 0,
      message: expect.stringContaining("an error answer without DynamoDB's JSON error (24 bytes)"),
    });
  });

  it('stops reading an answer over its size bound and does not retry it', async () => {
    // Prepare
    script = [ok({ Item: { blob: { S: 'x'.repeat(10_000) } } }), ok()];
    // Act
    const sending = client({ maxResponseBytes: 1_024 }).send('GetItem', { TableName: 'leases' });
    // Assess
    await expect(sending).rejects.toMatchObject({
      code: 'ResponseTooLarge',
      message: expect.stringContaining('the answer is larger than 1024 bytes'),
    });
    expect(server.requests).toHaveLength(1);
  });

  it('times out an attempt that gets no answer, retries it, and fails with TimeoutError after 3', async () => {
    // Prepare
    script = [hang, hang, hang];
    // Act
    const sending = client({ attemptTimeoutMs: 50 }).send('PutItem', PUT);
    // Assess
    await expect(sending).rejects.toMatchObject({
      code: 'TimeoutError',
      retries: 2,
      message: expect.stringContaining('TimeoutError: no complete answer within 50 ms (3 attempts)'),
    });
    expect(server.requests).toHaveLength(3);
  });

  it('keeps the secret key, the session token, the Authorization header and its signature out of the error, even when the endpoint echoes them', async () => {
    // Prepare: a hostile endpoint that puts the request's headers in its error message
    script = [
      (response, request) =>
        awsError(
          400,
          'ValidationException',
          `you sent ${JSON.stringify(request.headers)} ${SECRET_KEY}`,
        )(response, request),
    ];
    // Act
    const error = await client()
      .send('PutItem', PUT)
      .catch((caught: unknown) => caught);
    // Assess
    const authorization = String(server.requests[0]?.headers.authorization);
    const signature = /Signature=([0-9a-f]+)/.exec(authorization)?.[1];
    expect(error).toBeInstanceOf(DynamoDbRequestError);
    const everything = `${inspect(error, { depth: 10 })} ${JSON.stringify(error)} ${String(error)}`;
    expect(everything).toContain('ValidationException');
    expect(everything).toContain('[redacted]');
    for (const secret of [SECRET_KEY, SESSION_TOKEN, authorization, signature])
      expect(everything).not.toContain(secret);
  });

  it('traces one span per call, not per attempt, ended with its status, request id, retries and error', async () => {
    // Prepare
    script = [awsError(503, 'ServiceUnavailable'), ok(), awsError(400, 'ConditionalCheckFailedException')];
    const dynamo = client();
    // Act
    await dynamo.send('PutItem', PUT);
    const failure = await dynamo
      .send('DeleteItem', { TableName: 'leases', Key: { pk: { S: 'x' } } })
      .catch((caught: unknown) => caught);
    // Assess
    expect(spans).toEqual([
      {
        call: {
          service: 'DynamoDB',
          operation: 'PutItem',
          region: 'eu-west-1',
          resources: { table_name: 'leases' },
        },
        outcome: { httpStatus: 200, requestId: expect.stringMatching(/^req-/), retries: 1 },
      },
      {
        call: {
          service: 'DynamoDB',
          operation: 'DeleteItem',
          region: 'eu-west-1',
          resources: { table_name: 'leases' },
        },
        outcome: { httpStatus: 400, requestId: expect.stringMatching(/^req-/), retries: 0, error: failure },
      },
    ]);
    expect(failure).toMatchObject({ code: 'ConditionalCheckFailedException' });
  });

  it('keeps the connection alive between calls', async () => {
    // Prepare
    script = [ok(), ok()];
    const dynamo = client();
    const accepted = server.stats.accepted;
    // Act
    await dynamo.send('PutItem', PUT);
    await dynamo.send('PutItem', PUT);
    // Assess
    expect(server.stats.accepted - accepted).toBe(1);
  });
});

describe('createDynamoDbJsonClient', () => {
  const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: SECRET_KEY };

  it('names every missing setting at once', () => {
    // Act
    const creating = () => createDynamoDbJsonClient({}, { AWS_SESSION_TOKEN: SESSION_TOKEN });
    // Assess
    expect(creating).toThrow(AwsClientConfigError);
    expect(creating).toThrow(
      'DynamoDB client: environment variable(s) AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY required but not set',
    );
  });

  it.each([
    [
      'AWS_ENDPOINT_URL_DYNAMODB before AWS_ENDPOINT_URL',
      { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000', AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' },
      'http://127.0.0.1:8000/',
    ],
    ['AWS_ENDPOINT_URL', { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' }, 'http://127.0.0.1:5000/'],
    ["DynamoDB's regional endpoint", {}, 'https://dynamodb.eu-central-1.amazonaws.com/'],
  ])('takes its endpoint from %s', (_what, endpoints, expected) => {
    // Act
    const dynamo = createDynamoDbJsonClient({}, { AWS_REGION: 'eu-central-1', ...CREDENTIALS, ...endpoints });
    // Assess
    expect(dynamo.endpoint).toBe(expected);
    expect(dynamo.region).toBe('eu-central-1');
    dynamo.destroy();
  });
});
