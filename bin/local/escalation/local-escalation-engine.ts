import { StateMachine } from 'aws-local-stepfunctions';
import { VirtualClock } from '../../../functions/commons/clock';
import { ackLink } from '../../../functions/escalation/core/ack-link';
import {
  type ArmSignalInput,
  armSignal,
  checkEscalation,
  openIncident,
} from '../../../functions/escalation/core/check-escalation';
import { staleAlarmEvent } from '../../../functions/escalation/core/current-alarm-state';
import { handleAckRequest } from '../../../functions/escalation/core/handle-ack-request';
import { type NotifyInput, notifyChannel } from '../../../functions/escalation/core/notify-channel';
import { type StartOutcome, startEscalation } from '../../../functions/escalation/core/start-escalation';
import type {
  AlarmSnapshot,
  AuditRecord,
  EscalationState,
} from '../../../functions/escalation/types/incident';
import type {
  AckSecretResolver,
  AlarmStatePort,
  ChannelSecretResolver,
  DirectPager,
  Enricher,
  EscalationClock,
  EscalationMetrics,
  ExecutionSignaller,
  HttpPort,
  IncidentStore,
  OverrideReader,
  PageLog,
  RandomSource,
  TopicPublisher,
} from '../../../functions/escalation/types/ports';
import type { LocalEscalationDefinition } from './local-escalation-definition';

/** The adapters a local run uses in place of the Lambdas' AWS clients. */
export interface LocalEscalationPorts {
  readonly alarms: AlarmStatePort;
  readonly store: IncidentStore;
  readonly http: HttpPort;
  readonly topics: TopicPublisher;
  readonly secrets: ChannelSecretResolver;
  readonly ackSecret: AckSecretResolver;
  readonly enrich?: Enricher;
  readonly metrics?: EscalationMetrics;
  /** Jitter of retry backoff. @default Math.random */
  readonly random?: RandomSource;
  /** Pages people by SMS, voice and email. @default none */
  readonly pager?: DirectPager;
  /** Run-time on-call overrides. @default none (config only) */
  readonly overrides?: OverrideReader;
  /** Where pages to people are recorded (SMS reply acks). @default none */
  readonly pages?: PageLog;
}

/** One line of the simulated timeline. */
export interface TimelineEvent {
  /** Offset from the incident start: `+0s`, `+5m`. */
  readonly at: string;
  readonly atMs: number;
  /**
   * `retry`: a round failed and another is scheduled; `flap`: the alarm re-alarmed while open (joined);
   * `unreadable`: the alarm's state could not be read at a check (the incident stayed open).
   */
  readonly type: 'notify' | 'ack' | 'resolve' | 'suppressed' | 'failed' | 'retry' | 'flap' | 'unreadable';
  readonly channel: string;
  /** 1-based level for triggers, `null` for follow-ups and acks. */
  readonly level: number | null;
  readonly detail: string;
}

/** Formats an offset as `+0s`, `+1m30s`, `+5m`, `+35h30m`. */
export const formatOffset = (ms: number): string => {
  if (ms < 1_000) return ms <= 0 ? '+0s' : `+${ms}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return `+${parts.join('')}`;
};

const eventType = (record: AuditRecord): TimelineEvent['type'] => {
  if (record.kind === 'alarm-state') return 'unreadable';
  if (record.kind === 'flap') return 'flap';
  // Below quorum: nobody paged, as for a silence.
  if (record.kind === 'quorum') return 'suppressed';
  if (record.outcome === 'retrying') return 'retry';
  if (record.outcome === 'failed') return 'failed';
  if (record.outcome === 'suppressed') return 'suppressed';
  if (record.kind === 'trigger') return 'notify';
  return record.kind === 'resolve' ? 'resolve' : 'ack';
};

const eventOf = (record: AuditRecord, startedAt: number): TimelineEvent => ({
  at: formatOffset(record.at - startedAt),
  atMs: record.at - startedAt,
  type: eventType(record),
  channel: record.channel,
  level: record.kind === 'trigger' ? record.level + 1 : null,
  detail: record.detail,
});

/**
 * The definition as `aws-local-stepfunctions` must see it: Step Functions reads a Task's `TimeoutSecondsPath`
 * from the state input, the local interpreter from the Task's effective parameters, so the signal wait's path
 * into the state is read through its payload's `state` there. Nothing else changes.
 */
const localDefinition = (definition: Record<string, unknown>): Record<string, unknown> => {
  const states = definition.States as Record<string, Record<string, unknown>>;
  return {
    ...definition,
    States: Object.fromEntries(
      Object.entries(states).map(([name, state]) => {
        const path = state.TimeoutSecondsPath;
        if (state.Type !== 'Task' || typeof path !== 'string') return [name, state];
        return [name, { ...state, TimeoutSecondsPath: `$.Payload.state${path.slice(1)}` }];
      }),
    ),
  };
};

/** Options of {@link LocalEscalationEngine}. */
export interface LocalEscalationOptions {
  /** A {@link VirtualClock} compresses waits; {@link realClock} runs them for real. */
  readonly clock: EscalationClock;
  /** Backoff base between delivery retries. @default 250 */
  readonly baseDelayMs?: number;
}

/**
 * Runs the deployed escalation definition ({@link localEscalationDefinition}) with `aws-local-stepfunctions`, the Task states backed by the
 * real handler cores over local (or emulator-backed) adapters. Used by `vigil simulate`, `npm start`, the
 * tests and the benchmark.
 */
export class LocalEscalationEngine {
  private readonly machine: StateMachine;
  private readonly taskHandlers: Record<string, (input: never) => Promise<never>>;
  private readonly waitTimeOverrides: Record<string, number>;
  private readonly executions = new Map<string, Promise<unknown>>();
  private readonly running = new Map<string, { abort: () => void; result: Promise<unknown> }>();
  /** Local task tokens of signal waits -> wake-up. */
  private readonly waiters = new Map<string, () => void>();
  /** Incidents whose last signal wait was woken before its time (their check must not move the clock). */
  private readonly woken = new Set<string>();
  private tokens = 0;

  public constructor(
    public readonly escalation: LocalEscalationDefinition,
    public readonly ports: LocalEscalationPorts,
    private readonly options: LocalEscalationOptions,
  ) {
    this.machine = new StateMachine(localDefinition(escalation.definition) as never, {
      validationOptions: { checkPaths: true },
    });
    this.taskHandlers = this.handlers();
    // Plain Waits take no real time under a virtual clock (it jumps to each wait's end instead).
    this.waitTimeOverrides =
      this.virtual !== undefined ? Object.fromEntries(escalation.waits.map((wait) => [wait, 0])) : {};
  }

  private get virtual(): VirtualClock | undefined {
    return this.options.clock instanceof VirtualClock ? this.options.clock : undefined;
  }

  private handlers(): Record<string, (input: never) => Promise<never>> {
    const clock = this.options.clock;
    const config = this.escalation.runtimeConfig;
    const check = {
      config,
      clock,
      alarms: this.ports.alarms,
      store: this.ports.store,
      ...(this.ports.enrich ? { enrich: this.ports.enrich } : {}),
      ...(this.ports.random ? { random: this.ports.random } : {}),
      ...(this.ports.overrides ? { overrides: this.ports.overrides } : {}),
    };
    const notify = {
      config,
      clock,
      http: this.ports.http,
      topics: this.ports.topics,
      secrets: this.ports.secrets,
      ackSecret: this.ports.ackSecret,
      store: this.ports.store,
      ...(this.ports.metrics ? { metrics: this.ports.metrics } : {}),
      ...(this.ports.random ? { random: this.ports.random } : {}),
      ...(this.ports.pager ? { pager: this.ports.pager } : {}),
      ...(this.ports.pages ? { pages: this.ports.pages } : {}),
      ...(this.options.baseDelayMs !== undefined ? { baseDelayMs: this.options.baseDelayMs } : {}),
    };
    const entries = Object.entries(this.escalation.tasks).map(([name, kind]) => {
      const run = async (input: Record<string, unknown>): Promise<unknown> => {
        if (kind === 'notify') return notifyChannel(input as unknown as NotifyInput, notify);
        if (kind === 'signal') return this.waitForSignal((input.Payload ?? input) as ArmSignalInput, check);
        if (input.phase === 'open') return openIncident(input as never, check);
        // A check after a plain Wait (the signal wait could not be armed) moves the virtual clock to the time
        // it waited until; a check after a signal wait finds the clock there already, or woken earlier.
        const state = input.state as EscalationState;
        if (this.virtual !== undefined && !this.woken.delete(state.incident.id))
          await this.virtual.advanceTo(Date.parse(state.status.waitUntil));
        return checkEscalation(input as never, check);
      };
      return [name, run as never];
    });
    return Object.fromEntries(entries);
  }

  /**
   * The `Wait for signal` task: arms it with a local token (the real core stores it with the alarm's claim),
   * then waits until `waitUntil` or until an OK event's signal, like the callback task in AWS.
   */
  private async waitForSignal(
    input: ArmSignalInput,
    check: Parameters<typeof armSignal>[1],
  ): Promise<Record<string, never>> {
    const { state } = input;
    this.tokens += 1;
    const token = `local-${state.incident.id}-${this.tokens}`;
    let signalled = false;
    let wake: () => void = () => undefined;
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    this.waiters.set(token, () => {
      signalled = true;
      wake();
    });
    try {
      await armSignal({ token, state }, check);
      const until = Date.parse(state.status.waitUntil);
      if (this.virtual !== undefined) {
        await this.virtual.advanceTo(until, () => signalled);
      } else {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          woken,
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, Math.max(0, until - this.options.clock.now()));
          }),
        ]);
        clearTimeout(timer);
      }
      if (signalled) this.woken.add(state.incident.id);
      return {};
    } finally {
      this.waiters.delete(token);
    }
  }

  /** Wakes a local signal wait (the start function's `SendTaskSuccess`). */
  private readonly signal: ExecutionSignaller = async (token) => {
    // Like SendTaskSuccess: a token wakes its wait once; a replayed signal finds it gone.
    const wake = this.waiters.get(token);
    if (wake === undefined) return false;
    this.waiters.delete(token);
    wake();
    return true;
  };

  /**
   * Ingests an alarm state change like the start Lambda: ALARM starts one execution per incident
   * (duplicates are reported, not run; `done(incidentId)` waits for its end) unless it is stale (the alarm is
   * not in ALARM now), OK wakes the open incident's waiting execution.
   */
  public async ingest(alarm: AlarmSnapshot): Promise<StartOutcome> {
    const stale = await staleAlarmEvent(alarm, this.ports.alarms);
    if (stale !== undefined) return stale;
    return startEscalation(
      alarm,
      async (name, input) => {
        if (this.executions.has(name)) return 'duplicate';
        const parsed: unknown = JSON.parse(input);
        const execution = this.machine.run(parsed as never, {
          overrides: {
            taskResourceLocalHandlers: this.taskHandlers as never,
            waitTimeOverrides: this.waitTimeOverrides,
          },
          context: {
            Execution: {
              Name: name,
              Input: parsed,
              StartTime: new Date(this.options.clock.now()).toISOString(),
            },
            // The local signal wait makes its own token; the definition's `$$.Task.Token` needs a value.
            Task: { Token: 'local' },
          } as never,
        });
        this.executions.set(name, execution.result);
        this.running.set(name, execution);
        execution.result.then(
          () => this.running.delete(name),
          () => this.running.delete(name),
        );
        return 'started';
      },
      this.options.clock.now(),
      { store: this.ports.store, signal: this.signal },
    );
  }

  /** Aborts every execution still running (local mode's Ctrl-C), ending their signal waits. */
  public stopAll(): void {
    for (const execution of this.running.values()) execution.abort();
    this.running.clear();
    for (const wake of this.waiters.values()) wake();
    this.waiters.clear();
  }

  /** Waits for an execution to end and returns its final output: the incident's last state. */
  public async done(incidentId: string): Promise<EscalationState> {
    const result = this.executions.get(incidentId);
    if (result === undefined) throw new Error(`no execution '${incidentId}'`);
    return (await result) as EscalationState;
  }

  /** Acknowledges an incident through the real ack endpoint core, with a correctly signed link. */
  public async acknowledge(incidentId: string, by: string, channel = 'local'): Promise<number> {
    const secret = await this.ports.ackSecret();
    const now = this.options.clock.now();
    const link = new URL(
      ackLink(this.escalation.runtimeConfig.ackUrl, secret, incidentId, channel, now + 60_000),
    );
    const response = await handleAckRequest(
      { method: 'POST', query: link.search.slice(1), body: new URLSearchParams({ by }).toString() },
      { clock: this.options.clock, store: this.ports.store, secret: () => Promise.resolve(secret) },
    );
    return response.statusCode;
  }

  /** The incident's timeline: every audit record and the ack, relative to the incident start. */
  public async timeline(incidentId: string): Promise<TimelineEvent[]> {
    const incident = await this.ports.store.getIncident(incidentId);
    if (incident === undefined) return [];
    const events = (await this.ports.store.listAudit(incidentId)).map((record) =>
      eventOf(record, incident.startedAt),
    );
    const ack = await this.ports.store.getAck(incidentId);
    if (ack !== undefined) {
      events.push({
        at: formatOffset(ack.at - incident.startedAt),
        atMs: ack.at - incident.startedAt,
        type: 'ack',
        channel: ack.via,
        level: null,
        detail: `acknowledged by ${ack.by}`,
      });
    }
    const order = {
      unreadable: 0,
      flap: 1,
      suppressed: 2,
      retry: 3,
      failed: 4,
      notify: 5,
      ack: 6,
      resolve: 7,
    } as const;
    return events.sort(
      (a, b) => a.atMs - b.atMs || order[a.type] - order[b.type] || a.channel.localeCompare(b.channel),
    );
  }
}
