import {
  type LocalEscalationDefinition,
  localEscalationDefinition,
} from '../../../bin/local/escalation/local-escalation-definition';
import type { LocalEscalationEngine } from '../../../bin/local/escalation/local-escalation-engine';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { DynamoDbIncidentStore } from '../../../functions/escalation/adapters/dynamodb-incident-store';
import { DynamoDbPageLog } from '../../../functions/escalation/adapters/dynamodb-page-log';
import { fetchHttp } from '../../../functions/escalation/adapters/fetch-http';
import { smsTextSender } from '../../../functions/escalation/adapters/sms-text-sender';
import { executionName } from '../../../functions/escalation/core/execution-name';
import { handleInboundSms } from '../../../functions/escalation/core/handle-inbound-sms';
import { handleSlackInteraction } from '../../../functions/escalation/core/handle-slack-interaction';
import { slackSignature } from '../../../functions/escalation/core/slack-signature';
import type { AlarmSnapshot } from '../../../functions/escalation/types/incident';
import { HANG_GUARD_MS } from '../../helpers/patience';
import { flowEngine, platformTags, recoverAlarm } from './helpers/flow-harness';
import { type HttpReceiver, startReceiver } from './helpers/http-receiver';
import { aws, createIncidentTable, createSecret, fireAlarm } from './helpers/moto-escalation';
import { type SmsVoiceStandIn, startSmsVoiceStandIn } from './helpers/sms-voice-stand-in';

/**
 * Ack by Slack button or SMS reply, end to end: the synthesized state machine run by aws-local-stepfunctions
 * with the real handler cores over moto, on a virtual clock; the ack is recorded by the Slack / SMS cores
 * into the same DynamoDB table, and the next check must stop every pending notification.
 */
const PREFIX = 'ackpaths';
const TABLE = 'ackpaths-incidents';
const SIGNING = 'ackpaths-slack-signing';
const START = Date.parse('2026-03-02T10:30:00Z');
const MINUTE = 60_000;
const ADA_SMS = '+447700900001';

let first: HttpReceiver;
let second: HttpReceiver;
let slack: HttpReceiver;
let sms: SmsVoiceStandIn;
let synthesized: LocalEscalationDefinition;

beforeAll(async () => {
  [first, second, slack, sms] = await Promise.all([
    startReceiver(),
    startReceiver(),
    startReceiver(),
    startSmsVoiceStandIn(),
  ]);
  synthesized = localEscalationDefinition(
    parseConfig({
      app: PREFIX,
      environments: { local: { baseUrl: 'http://127.0.0.1:1' } },
      channels: {
        first: { type: 'webhook', url: { secretsManager: `${PREFIX}/first` } },
        second: { type: 'webhook', url: { secretsManager: `${PREFIX}/second` } },
      },
      escalation: {
        critical: {
          levels: [
            { after: '0s', channels: ['first'] },
            { after: '5m', channels: ['second'] },
          ],
        },
        warning: { levels: [{ after: '0s', channels: ['first'] }] },
        info: { levels: [{ after: '0s', channels: ['first'] }] },
        watchFor: '1h',
      },
    }),
  );
  await createIncidentTable(TABLE);
  await createSecret(`${PREFIX}/first`, first.url);
  await createSecret(`${PREFIX}/second`, second.url);
}, HANG_GUARD_MS);

afterAll(() => Promise.all([first, second, slack].map((receiver) => receiver?.close()).concat(sms?.close())));

beforeEach(() => {
  for (const receiver of [first, second, slack]) receiver.reset();
  sms.calls.length = 0;
});

const critical = platformTags('critical');
const store = () => new DynamoDbIncidentStore(aws.dynamodb, TABLE);

const engineAt = (start: number) => flowEngine(synthesized, TABLE, start);

/** The `kind`s each webhook received for the incident. */
const kinds = (receiver: HttpReceiver) =>
  receiver.requests.map((request) => (request.json as { kind?: string }).kind);

/**
 * Fires `alarm` into the engine and runs its escalation until the alarm returns to OK at +30 m (long after
 * every level), then returns the execution's output.
 */
const escalateUntilRecovery = async (
  engine: LocalEscalationEngine,
  clock: ReturnType<typeof engineAt>['clock'],
  alarm: AlarmSnapshot,
) => {
  const recoveredAt = START + 30 * MINUTE;
  clock.schedule(recoveredAt, async () => {
    await recoverAlarm(engine, alarm, recoveredAt);
  });
  await engine.ingest(alarm);
  return engine.done(executionName(alarm.alarmName, alarm.stateChangedAt));
};

describe('ack by Slack button or SMS reply stops the executed escalation at its next check', () => {
  it(
    'a signed Slack Acknowledge click at +2m: the +5m level is never paged, the first level hears who acked',
    async () => {
      // Prepare
      const { clock, engine } = engineAt(START);
      const alarm = await fireAlarm(`${PREFIX}-check-slack`, critical, START);
      const id = executionName(alarm.alarmName, alarm.stateChangedAt);
      let outcome = '';
      clock.schedule(START + 2 * MINUTE, async () => {
        const body = new URLSearchParams({
          payload: JSON.stringify({
            type: 'block_actions',
            user: { id: 'U0ADA', name: 'ada' },
            actions: [{ action_id: 'ack', value: id, type: 'button' }],
            response_url: `${slack.url}/actions/1`,
          }),
        }).toString();
        const timestamp = String(Math.floor(clock.now() / 1000));
        const result = await handleSlackInteraction(
          {
            method: 'POST',
            headers: {
              'x-slack-request-timestamp': timestamp,
              'x-slack-signature': slackSignature(SIGNING, timestamp, body),
            },
            body,
          },
          {
            clock,
            store: store(),
            secret: async () => SIGNING,
            http: fetchHttp,
            responseUrlPrefixes: [`${slack.url}/`],
            people: { U0ADA: 'Ada Lovelace' },
          },
        );
        outcome = result.outcome;
      });
      // Act
      const output = await escalateUntilRecovery(engine, clock, alarm);
      // Assess
      expect(outcome).toBe('acknowledged');
      expect(kinds(first)).toEqual(['trigger', 'acknowledge', 'resolve']);
      expect(kinds(second)).toEqual([]);
      expect(output.ackedBy).toBe('Ada Lovelace (via Slack)');
      expect(slack.requests).toHaveLength(1);
    },
    HANG_GUARD_MS,
  );

  it(
    'an SMS ACK from the paged person at +2m: the +5m level is never paged',
    async () => {
      // Prepare
      const { clock, engine } = engineAt(START);
      const alarm = await fireAlarm(`${PREFIX}-check-sms`, critical, START);
      const id = executionName(alarm.alarmName, alarm.stateChangedAt);
      const pages = new DynamoDbPageLog(aws.dynamodb, TABLE);
      let outcome = '';
      clock.schedule(START + 1 * MINUTE, () =>
        pages.recordPage({ personId: 'ada', incidentId: id, at: clock.now(), method: 'sms' }),
      );
      clock.schedule(START + 2 * MINUTE, async () => {
        const result = await handleInboundSms(
          JSON.stringify({
            originationNumber: ADA_SMS,
            destinationNumber: '+447700900999',
            messageBody: ' Ack ',
          }),
          {
            clock,
            store: store(),
            pages,
            people: { [ADA_SMS]: { personId: 'ada', name: 'Ada Lovelace' } },
            reply: smsTextSender(sms.client),
          },
        );
        outcome = result.outcome;
      });
      // Act
      const output = await escalateUntilRecovery(engine, clock, alarm);
      // Assess
      expect(outcome).toBe('acknowledged');
      expect(kinds(first)).toEqual(['trigger', 'acknowledge', 'resolve']);
      expect(kinds(second)).toEqual([]);
      expect(output.ackedBy).toBe('Ada Lovelace (via SMS)');
      expect(sms.calls.map((call) => call.operation)).toEqual(['SendTextMessage']);
    },
    HANG_GUARD_MS,
  );
});
