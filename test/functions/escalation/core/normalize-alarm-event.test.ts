import { EscalationEventError } from '../../../../functions/escalation/core/errors';
import {
  alarmsOfIngressEvent,
  fromEventBridge,
  fromSnsAlarmMessage,
} from '../../../../functions/escalation/core/normalize-alarm-event';

const eventBridge = (overrides: Record<string, unknown> = {}) => ({
  'detail-type': 'CloudWatch Alarm State Change',
  source: 'aws.cloudwatch',
  account: '123456789012',
  region: 'eu-west-1',
  time: '2026-03-02T10:30:00Z',
  resources: ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:shop-check-login'],
  detail: {
    alarmName: 'shop-check-login',
    state: { value: 'ALARM', reason: 'Threshold Crossed', timestamp: '2026-03-02T10:30:00.000+0000' },
  },
  ...overrides,
});

const sns = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    AlarmName: 'shop-check-login',
    AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:shop-check-login',
    AWSAccountId: '123456789012',
    NewStateValue: 'ALARM',
    NewStateReason: 'Threshold Crossed',
    StateChangeTime: '2026-03-02T10:30:00.000+0000',
    ...overrides,
  });

describe('normalizing alarm events: region, account and name', () => {
  it('refuses an alarm ARN whose region or account part is not one, naming the field', () => {
    // Act / Assess
    expect(() =>
      fromSnsAlarmMessage(sns({ AlarmArn: 'arn:aws:cloudwatch:evil.example.com#:123456789012:alarm:a' })),
    ).toThrow(expect.objectContaining({ name: 'EscalationEventError' }));
    expect(() =>
      fromSnsAlarmMessage(sns({ AlarmArn: 'arn:aws:cloudwatch:eu-west-1:12345:alarm:a' })),
    ).toThrow('AlarmArn: account "12345" is not a 12-digit AWS account id');
    expect(() => fromSnsAlarmMessage(sns({ AlarmArn: 'https://evil.example' }))).toThrow(
      'AlarmArn: expected a CloudWatch alarm ARN, got "https://evil.example"',
    );
    expect(() =>
      fromEventBridge(eventBridge({ resources: ['arn:aws:cloudwatch:eu-west-1.evil:123456789012:alarm:a'] })),
    ).toThrow('resources[0]: region "eu-west-1.evil" is not an AWS region');
  });

  it('refuses an event whose region, account or alarm name CloudWatch would never send', () => {
    // Act / Assess
    expect(() => fromEventBridge(eventBridge({ region: 'evil.example.com#' }))).toThrow(
      'region: "evil.example.com#" is not an AWS region',
    );
    expect(() => fromEventBridge(eventBridge({ account: 'me' }))).toThrow(
      'account: "me" is not a 12-digit AWS account id',
    );
    expect(() => fromSnsAlarmMessage(sns({ AlarmName: 'a'.repeat(256) }))).toThrow(
      'AlarmName is 256 characters; CloudWatch allows 255',
    );
  });

  it('takes the region of a well-formed ARN in any partition', () => {
    // Act
    const gov = fromSnsAlarmMessage(
      sns({ AlarmArn: 'arn:aws-us-gov:cloudwatch:us-gov-west-1:123456789012:alarm:shop-check-login' }),
    );
    const viaEvents = fromEventBridge(eventBridge());
    // Assess
    expect([gov.region, gov.accountId]).toEqual(['us-gov-west-1', '123456789012']);
    expect([viaEvents.region, viaEvents.accountId]).toEqual(['eu-west-1', '123456789012']);
  });
});

describe('normalizing alarm events: schema errors name every path', () => {
  it('reports every problem of an EventBridge event at once, each with its path', () => {
    // Prepare
    const event = eventBridge({
      region: 'nowhere',
      detail: { state: { value: 'BROKEN', timestamp: '2026-03-02T10:30:00.000+0000' } },
    });
    // Act
    let thrown: unknown;
    try {
      fromEventBridge(event);
    } catch (error) {
      thrown = error;
    }
    // Assess
    expect(thrown).toBeInstanceOf(EscalationEventError);
    expect((thrown as EscalationEventError).issues).toEqual([
      { path: 'region', message: '"nowhere" is not an AWS region' },
      { path: 'detail.alarmName', message: 'is missing' },
      { path: 'detail.state.value', message: 'expected OK, ALARM or INSUFFICIENT_DATA, got "BROKEN"' },
    ]);
    expect((thrown as Error).message).toBe(
      'region: "nowhere" is not an AWS region; detail.alarmName is missing; ' +
        'detail.state.value: expected OK, ALARM or INSUFFICIENT_DATA, got "BROKEN"',
    );
  });

  it('names the record of an SNS delivery whose message is missing, and the field of a bad message', () => {
    // Prepare
    const delivery = { Records: [{ Sns: { Message: sns() } }, { Sns: {} }] };
    // Act / Assess
    expect(() => alarmsOfIngressEvent(delivery)).toThrow(
      new EscalationEventError('Records[1].Sns.Message is missing'),
    );
    expect(() =>
      alarmsOfIngressEvent({ Records: [{ Sns: { Message: sns({ NewStateValue: 1 }) } }] }),
    ).toThrow('NewStateValue: expected OK, ALARM or INSUFFICIENT_DATA, got 1');
    expect(() => alarmsOfIngressEvent({ Records: 'nope' })).toThrow(
      expect.objectContaining({
        name: 'EscalationEventError',
        issues: [expect.objectContaining({ path: 'Records' })],
      }),
    );
    expect(alarmsOfIngressEvent({ Records: [{ Sns: { Message: sns() } }] })).toMatchObject([
      { alarmName: 'shop-check-login', state: 'ALARM', source: 'sns' },
    ]);
  });

  it('keeps what a well-formed event carries: metric, description, previous state, threshold', () => {
    // Act
    const viaEvents = fromEventBridge(
      eventBridge({
        detail: {
          alarmName: 'shop-check-login',
          state: { value: 'ALARM', reason: 'Threshold Crossed', timestamp: '2026-03-02T10:30:00.000+0000' },
          previousState: { value: 'OK' },
          configuration: {
            description: 'login journey',
            metrics: [
              {
                metricStat: {
                  metric: { namespace: 'Vigil', name: 'CheckSuccess', dimensions: { Check: 'login' } },
                  stat: 'Average',
                  period: 60,
                },
              },
            ],
          },
        },
      }),
    );
    const viaSns = fromSnsAlarmMessage(
      sns({
        OldStateValue: 'OK',
        AlarmDescription: 'login journey',
        Trigger: {
          MetricName: 'CheckSuccess',
          Namespace: 'Vigil',
          Statistic: 'SAMPLE_COUNT',
          Period: 60,
          Threshold: 1,
          Dimensions: [{ name: 'Check', value: 'login' }],
        },
      }),
    );
    // Assess
    const metric = {
      namespace: 'Vigil',
      name: 'CheckSuccess',
      dimensions: { Check: 'login' },
      periodSeconds: 60,
    };
    expect(viaEvents).toMatchObject({
      previousState: 'OK',
      description: 'login journey',
      metric: { ...metric, stat: 'Average' },
      stateChangedAt: '2026-03-02T10:30:00.000Z',
    });
    expect(viaSns).toMatchObject({
      previousState: 'OK',
      description: 'login journey',
      metric: { ...metric, stat: 'SampleCount' },
      threshold: 1,
    });
  });
});
