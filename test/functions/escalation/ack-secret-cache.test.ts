import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ackLink } from '../../../functions/escalation/core/ack-link';
import { type CountingAwsProxy, startCountingAwsProxy } from '../../helpers/aws/counting-aws-proxy';
import { createIncidentTable, createSecret } from './helpers/moto-escalation';

const ACK_URL = 'https://ack.example.lambda-url.us-east-1.on.aws/';
const TABLE = `ack-secret-cache-${Date.now()}`;
const FIVE_MINUTES = 300_000;

let proxy: CountingAwsProxy;
let secretArn: string;

beforeAll(async () => {
  await createIncidentTable(TABLE);
  secretArn = await createSecret(`ack-secret-cache/key-${Date.now()}`, 'key-before-rotation');
  proxy = await startCountingAwsProxy();
});
afterAll(async () => {
  jest.useRealTimers();
  await proxy.close();
});

describe('ack handler signing key (the shared secret cache)', () => {
  it('reads the key once per five minutes across invocations, then picks up a rotated key', async () => {
    // Prepare: only Date is virtual (the SDK's timers stay real); Secrets Manager goes through the counter
    jest.useFakeTimers({
      now: Date.now(),
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: proxy.url,
      VIGIL_ACK_SECRET_ARN: secretArn,
      VIGIL_TABLE_NAME: TABLE,
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
    const { handler } = await import('../../../functions/escalation/ack');
    const open = (key: string) => {
      const link = new URL(ackLink(ACK_URL, key, 'shop-unknown-incident', 'slack', Date.now() + 3_600_000));
      return handler({ rawQueryString: link.search.slice(1), requestContext: { http: { method: 'GET' } } });
    };
    const reads = () => proxy.count('secretsmanager.GetSecretValue');

    // Act
    const before = await open('key-before-rotation');
    await new SecretsManagerClient({ endpoint: process.env.AWS_ENDPOINT_URL }).send(
      new PutSecretValueCommand({ SecretId: secretArn, SecretString: 'key-after-rotation' }),
    );
    jest.setSystemTime(Date.now() + FIVE_MINUTES - 1);
    const withinTtl = await open('key-after-rotation');
    const readsWithinTtl = reads();
    jest.setSystemTime(Date.now() + 1);
    const afterTtl = await open('key-after-rotation');

    // Assess: a valid link for an unknown incident is a 404, a link signed with another key a 403
    expect([before.statusCode, withinTtl.statusCode, afterTtl.statusCode]).toEqual([404, 403, 404]);
    expect(readsWithinTtl).toBe(1);
    expect(reads()).toBe(2);
  });
});
