import { alarmName } from '../../../functions/commons/alarm-naming';
import { realClock } from '../../../functions/commons/clock';
import type { VigilConfig } from '../../../functions/commons/config/schema';
import type { SecretBackend } from '../../../functions/commons/secret-resolver';
import { channelSecrets } from '../../../functions/escalation/adapters/channel-secrets';
import { fetchHttp } from '../../../functions/escalation/adapters/fetch-http';
import {
  consoleAwareHttp,
  consolePager,
  consoleTopics,
  envChannelSecrets,
} from '../../../functions/escalation/adapters/local-delivery';
import { MemoryAlarmState } from '../../../functions/escalation/adapters/memory-alarm-state';
import { MemoryIncidentStore } from '../../../functions/escalation/adapters/memory-incident-store';
import { findRule } from '../../../functions/escalation/core/route-alarm';
import type { StartOutcome } from '../../../functions/escalation/core/start-escalation';
import type { AlarmSnapshot } from '../../../functions/escalation/types/incident';
import type { EscalationClock, OverrideReader, PageLog } from '../../../functions/escalation/types/ports';
import { localEscalationDefinition } from './local-escalation-definition';
import { LocalEscalationEngine } from './local-escalation-engine';

/** Options of {@link createLocalEscalation}. */
export interface LocalEscalationSetup {
  /** Environment with `VIGIL_SLACK_WEBHOOK_URL` etc.; channels without one print to the console. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where console deliveries go. @default console.log */
  readonly print?: (channel: string, body: string) => void;
  /** @default realClock (waits take real time) */
  readonly clock?: EscalationClock;
  /** HMAC key for local ack links. @default a random per-process key */
  readonly ackSecret?: string;
  /** Base of the ack links (a local ack server's URL). @default {@link LOCAL_ACK_URL}, served by nothing */
  readonly ackUrl?: string;
  /** Incidents, acks and audit (shared with a local ack server). @default a new in-memory store */
  readonly store?: MemoryIncidentStore;
  /**
   * Where a channel's configured secret reference is looked up locally (e.g. `VIGIL_SECRET_<REF>`); a channel
   * it cannot supply falls back to its type's `VIGIL_*` variable, then the console.
   * @default none: only the `VIGIL_*` variables
   */
  readonly secretBackend?: SecretBackend;
  /** Sees the body of every message, printed or sent (local mode shows each page's ack link). */
  readonly onSend?: (body: string) => void;
  /** Run-time on-call overrides (`vigil oncall override`'s local file). @default none (config only) */
  readonly overrides?: OverrideReader;
  /** Where pages to people are recorded (what an SMS reply `ACK` acknowledges). @default none */
  readonly pages?: PageLog;
}

/** A local escalation engine plus the in-memory alarm states it reads. */
export interface LocalEscalation {
  readonly engine: LocalEscalationEngine;
  readonly alarms: MemoryAlarmState;
  readonly store: MemoryIncidentStore;
}

/**
 * Builds the escalation engine for local use: the deployed state machine's definition, executed with
 * `aws-local-stepfunctions` and the real handler cores, alarms and incidents in memory, deliveries to real
 * webhooks where environment variables give them (`VIGIL_SLACK_WEBHOOK_URL`, `VIGIL_PAGERDUTY_ROUTING_KEY`,
 * `VIGIL_TEAMS_WEBHOOK_URL`, `VIGIL_WEBHOOK_URL`) and to the console otherwise.
 *
 * @example
 * const local = createLocalEscalation(config, { env: process.env });
 * await escalateFailingCheck(local, config, 'health_live', 'probe returned 503');
 */
export const createLocalEscalation = (
  config: VigilConfig,
  setup: LocalEscalationSetup = {},
): LocalEscalation => {
  const escalation = localEscalationDefinition(
    config,
    setup.ackUrl !== undefined ? { ackUrl: setup.ackUrl } : {},
  );
  const print = setup.print ?? ((channel: string, body: string) => console.log(`[vigil:${channel}] ${body}`));
  const alarms = new MemoryAlarmState();
  const store = setup.store ?? new MemoryIncidentStore();
  const secret = setup.ackSecret ?? crypto.randomUUID();
  const http = consoleAwareHttp(fetchHttp, print);
  const topics = consoleTopics(print);
  const engine = new LocalEscalationEngine(
    escalation,
    {
      alarms,
      store,
      http: async (request) => {
        setup.onSend?.(request.body);
        return http(request);
      },
      topics: {
        ...topics,
        publish: async (topicArn, subject, message) => {
          setup.onSend?.(message);
          await topics.publish(topicArn, subject, message);
        },
      },
      secrets: envChannelSecrets(
        escalation.runtimeConfig.channels,
        setup.env ?? {},
        setup.secretBackend !== undefined
          ? channelSecrets(escalation.runtimeConfig.channels, setup.secretBackend)
          : undefined,
      ),
      pager: consolePager((line, body) => {
        setup.onSend?.(body);
        print(line, body);
      }),
      ...(setup.overrides !== undefined ? { overrides: setup.overrides } : {}),
      ...(setup.pages !== undefined ? { pages: setup.pages } : {}),
      ackSecret: async () => secret,
    },
    { clock: setup.clock ?? realClock },
  );
  return { engine, alarms, store };
};

/** The alarm a simulation fires for `name`: an alert rule's `<app>-rule-<Name>` alarm, else the alarm name itself. */
export const simulatedAlarm = (config: VigilConfig, name: string, at: number): AlarmSnapshot => {
  const rule = config.alertRules.find((candidate) => candidate.name === name);
  const alarm = rule !== undefined ? alarmName(config.app, 'rule', rule.name) : name;
  const matched = findRule(alarm, config.alertRules, config.app);
  return {
    alarmName: alarm,
    state: 'ALARM',
    previousState: 'OK',
    reason: matched !== undefined ? `${matched.summary} (simulated)` : 'Threshold crossed (simulated)',
    stateChangedAt: new Date(at).toISOString(),
    region: 'us-east-1',
    ...(matched?.description !== undefined ? { description: matched.description } : {}),
    source: 'local',
  };
};

/**
 * Escalates a locally detected failing check through the deployed definition (`npm start`): its alarm
 * `<app>-check-<name>` goes to ALARM and one escalation starts per failure episode.
 */
export const escalateFailingCheck = async (
  local: LocalEscalation,
  config: VigilConfig,
  checkName: string,
  reason: string,
  at = Date.now(),
): Promise<StartOutcome> => {
  const name = alarmName(config.app, 'check', checkName);
  if ((await local.alarms.getState({ alarmName: name })) === 'ALARM') {
    return {
      alarmName: name,
      result: 'ignored',
      detail: 'already in ALARM: the running escalation covers it',
    };
  }
  local.alarms.set(name, 'ALARM');
  return local.engine.ingest({
    alarmName: name,
    state: 'ALARM',
    previousState: 'OK',
    reason,
    stateChangedAt: new Date(at).toISOString(),
    region: 'us-east-1',
    source: 'local',
  });
};

/**
 * An alarm returns to OK, as CloudWatch and EventBridge would tell it: its state is set, and the OK event
 * wakes the open incident's waiting execution, which resolves what it notified at once.
 */
export const recoverLocalAlarm = (
  local: LocalEscalation,
  name: string,
  at: number,
  reason = 'recovered',
): Promise<StartOutcome> => {
  local.alarms.set(name, 'OK');
  return local.engine.ingest({
    alarmName: name,
    state: 'OK',
    previousState: 'ALARM',
    reason,
    stateChangedAt: new Date(at).toISOString(),
    region: 'us-east-1',
    source: 'local',
  });
};

/** Marks a locally checked alarm OK again: its escalation is woken and resolves what it notified. */
export const resolveLocalCheck = (
  local: LocalEscalation,
  config: VigilConfig,
  checkName: string,
  at = Date.now(),
): Promise<StartOutcome> =>
  recoverLocalAlarm(local, alarmName(config.app, 'check', checkName), at, 'check passed');
