import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_APP, demoEscalation } from '../../../../examples/demo-escalation';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import {
  ESCALATION_CONFIG_FILE,
  ESCALATION_CONFIG_FILE_ENV,
  ESCALATION_CONTEXT_ENV,
  loadRuntimeConfig,
} from '../../../../functions/escalation/adapters/bundled-runtime-config';
import { resolveBundledConfig } from '../../../../functions/escalation/core/resolve-runtime-config';

const bundled = resolveBundledConfig(
  parseConfig({
    app: DEMO_APP,
    environments: { prod: { baseUrl: 'https://api.example.com' } },
    ...demoEscalation,
  }),
);
const SMS_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:vigil-sms';
const context = JSON.stringify({
  ackUrl: 'https://ack.lambda-url.eu-west-1.on.aws/',
  topicArns: { 'oncall-sms': SMS_TOPIC },
});

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-bundled-config-'));
  writeFileSync(join(dir, ESCALATION_CONFIG_FILE), JSON.stringify(bundled));
  writeFileSync(join(dir, 'broken.json'), '{"channels": ');
  writeFileSync(join(dir, 'other.json'), JSON.stringify({ checks: [] }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadRuntimeConfig', () => {
  it('joins the bundled config with the deploy-time values: ack URL, topic ARNs, the Lambda’s region', () => {
    // Act
    const config = loadRuntimeConfig({ [ESCALATION_CONTEXT_ENV]: context, AWS_REGION: 'eu-west-1' }, dir);

    // Assess
    expect(config.ackUrl).toBe('https://ack.lambda-url.eu-west-1.on.aws/');
    expect(config.region).toBe('eu-west-1');
    expect(config.channels['oncall-sms']?.topicArn).toBe(SMS_TOPIC);
    expect(config.channels['oncall-email']?.topicArn).toBeUndefined();
    expect(config.channels['oncall-slack']).toEqual(bundled.channels['oncall-slack']);
    expect(config.rules).toEqual(bundled.rules);
  });

  it('names the file or variable that is missing or malformed', () => {
    // Act / Assess
    expect(() => loadRuntimeConfig({ [ESCALATION_CONTEXT_ENV]: context }, join(dir, 'nowhere'))).toThrow(
      `cannot read the bundled escalation config ${join(dir, 'nowhere', ESCALATION_CONFIG_FILE)}`,
    );
    expect(() =>
      loadRuntimeConfig({
        [ESCALATION_CONTEXT_ENV]: context,
        [ESCALATION_CONFIG_FILE_ENV]: join(dir, 'broken.json'),
      }),
    ).toThrow(`${join(dir, 'broken.json')} is not valid JSON`);
    expect(() =>
      loadRuntimeConfig({
        [ESCALATION_CONTEXT_ENV]: context,
        [ESCALATION_CONFIG_FILE_ENV]: join(dir, 'other.json'),
      }),
    ).toThrow(`${join(dir, 'other.json')} is not an escalation config`);
    expect(() => loadRuntimeConfig({}, dir)).toThrow(`environment variable ${ESCALATION_CONTEXT_ENV}`);
    expect(() => loadRuntimeConfig({ [ESCALATION_CONTEXT_ENV]: '{"ackUrl": 1}' }, dir)).toThrow(
      `${ESCALATION_CONTEXT_ENV}: expected an object with a string 'ackUrl'`,
    );
  });
});
