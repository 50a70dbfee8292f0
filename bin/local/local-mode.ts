import { join } from 'node:path';
import { DEMO_LATE_HEARTBEAT } from '../../examples/demo-heartbeats';
import { type Faults, type FlightApi, startFlightApi } from '../../examples/flight-api';
import {
  type CheckAlarmState,
  type CheckPeriod,
  checkAlarmState,
} from '../../functions/commons/alarm-settings';
import { realClock } from '../../functions/commons/clock';
import { resolveFailWhen } from '../../functions/commons/config/fail-when';
import { resolveHeartbeats } from '../../functions/commons/config/heartbeat-schema';
import { resolveChecks } from '../../functions/commons/config/resolve-config';
import { resolveKpis } from '../../functions/commons/config/resolve-kpis';
import type { ResolvedSchedule } from '../../functions/commons/config/schedule';
import { plural } from '../../functions/commons/plural';
import { createSecretResolver } from '../../functions/commons/secret-resolver';
import { MemoryPageLog } from '../../functions/escalation/adapters/memory-page-log';
import { createDemoDatasource } from '../../functions/kpi/demo/create-demo-datasource';
import { asPublished } from '../../functions/kpi/kpi-metric-records';
import { runKpis } from '../../functions/kpi/run-kpis';
import type { KpiDatasource } from '../../functions/kpi/types/ports';
import type { KpiResult } from '../../functions/kpi/types/results';
import { localOverrides } from '../../functions/oncall/adapters/file-override-store';
import { reuseConnectionsFor, runChecks } from '../../functions/synthetics/engine';
import type { CheckResult } from '../../functions/synthetics/types/results';
import { formatCheckLine } from '../commands/check-report';
import type { CliIO } from '../commands/cli-command';
import { formatDeliveryLine } from '../commands/incident-report';
import { formatKpiTable } from '../commands/kpi-command';
import { loadCliConfig } from '../commands/load-cli-config';
import { createLocalSecretBackend } from '../commands/local-secret-backend';
import {
  createLocalEscalation,
  escalateFailingCheck,
  type LocalEscalation,
  resolveLocalCheck,
} from './escalation/local-escalation';
import { incidentJournalPath, JournalIncidentStore, LOCAL_STATE_DIR } from './incident-journal';
import {
  ackLinkIn,
  LOCAL_ACK_PATH,
  LOCAL_SMS_PATH,
  type LocalAckServer,
  startLocalAckServer,
} from './local-ack-server';
import { type LocalHeartbeats, startLocalHeartbeats } from './local-heartbeats';
import { type LocalJob, type LocalScheduler, startLocalScheduler } from './local-scheduler';
import { type LocalShiftNotices, startLocalShiftNotices } from './local-shift-notices';

/**
 * One readable line for a delivery printed to the console: the Slack text, the PagerDuty action and summary,
 * the email subject or the SMS text, instead of the whole JSON body.
 */
export const summarizeDelivery = (body: string): string => {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown> & { payload?: { summary?: unknown } };
    const action = typeof parsed.event_action === 'string' ? `${parsed.event_action}: ` : '';
    const text = parsed.text ?? parsed.payload?.summary ?? parsed.subject ?? parsed.title ?? parsed.message;
    if (typeof text === 'string') return `${action}${text}`;
  } catch {
    // not JSON: an SMS or email text
  }
  return body.length > 200 ? `${body.slice(0, 199)}…` : body;
};

/** Options for {@link startLocalMode}. */
export interface LocalModeOptions {
  readonly io: CliIO;
  /** Config file. @default vigil.config.ts in io.cwd */
  readonly configPath?: string;
  /** Port of the bundled demo API; 0 picks a free one. @default 4010 */
  readonly port?: number;
  /** Faults injected into the demo API from the start. @default none */
  readonly faults?: Faults;
  /** Run every job at this interval instead of its schedule (demos). @default the configured schedules */
  readonly intervalMs?: number;
  /** Observes every check result (tests, other local components). */
  readonly onCheckResult?: (result: CheckResult) => void;
  /** Observes every KPI result. */
  readonly onKpiResult?: (result: KpiResult) => void;
  /**
   * Port of the local acknowledge endpoint (ack links in pages); 0 picks a free one.
   * @default 4011, or a free one when 4011 is taken
   */
  readonly ackPort?: number;
  /**
   * Where incidents, acks and audit records are journaled for `vigil incidents`.
   * @default `.vigil` in io.cwd
   */
  readonly stateDir?: string;
}

/** What one round of every job gave. */
export interface LocalRound {
  readonly checks: readonly CheckResult[];
  readonly kpis: readonly KpiResult[];
}

/** The running local mode. */
export interface LocalMode {
  readonly api: FlightApi;
  readonly baseUrl: string;
  /** Runs every job once now and resolves when they finish (`npm start -- --once`). */
  runOnce(): Promise<LocalRound>;
  /** Starts the schedules (results print as they come). */
  startSchedules(): void;
  /** Base URL of the local acknowledge endpoint, when the config escalates. */
  readonly ackUrl?: string;
  /** Stops schedules, in-flight checks, the acknowledge endpoint and the demo API. */
  stop(): Promise<void>;
}

/** The local scheduler's job name of a check schedule group: `checks:<schedule key>`. */
const CHECK_JOB_PREFIX = 'checks:';

/**
 * Vigil's main job without AWS: starts the bundled demo flight API and the embedded demo KPI database
 * (PGlite), then runs the config's checks and KPIs on their schedules with the same engines as the
 * Lambdas, printing each result. A check failing as many runs in a row as its alarm needs is escalated
 * through the deployed escalation state machine definition (executed locally), and resolved when it passes;
 * a tick skipped because the previous run is still going counts as a silent period, as deployed.
 *
 * @returns undefined when the config is invalid (already reported on stderr)
 */
export const startLocalMode = async (options: LocalModeOptions): Promise<LocalMode | undefined> => {
  const { io } = options;
  const api = await startFlightApi({
    port: options.port ?? 4010,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const loaded = loadCliConfig(io, options.configPath, 'local', api.url);
  if (!loaded) {
    await api.close();
    return undefined;
  }
  const checks = resolveChecks(loaded.config);
  const secrets = createSecretResolver(loaded.config.secrets, createLocalSecretBackend(io.env));
  const groups = new Map<string, { schedule: ResolvedSchedule; names: string[] }>();
  for (const check of checks) {
    const group = groups.get(check.schedule.key) ?? { schedule: check.schedule, names: [] };
    group.names.push(check.name);
    groups.set(check.schedule.key, group);
  }
  const stamp = () => new Date().toISOString().slice(11, 19);
  // Pages carry signed ack links; a local endpoint serves them with the ack Lambda's core, so acknowledging
  // from the console stops the escalation at its next status check, as in AWS.
  let ackServer: LocalAckServer | undefined;
  let escalation: LocalEscalation | undefined;
  if (Object.keys(loaded.config.escalation ?? {}).length > 0) {
    // Every delivery is printed, console or real webhook, from the audit trail; and journaled for
    // `vigil incidents`. Ack links are taken from the messages themselves (printed or sent).
    const ackLinks = new Map<string, string>();
    let ackBase = '';
    let writeFailed = false;
    const store = new JournalIncidentStore({
      file: incidentJournalPath(options.stateDir ?? join(io.cwd, LOCAL_STATE_DIR)),
      observe: (line) => {
        if (line.type === 'incident') {
          const { id, severity, team, policy } = line.data;
          io.stdout(`${stamp()} OPEN  ${id}: ${severity}, team ${team}, policy ${policy}\n`);
        } else if (line.type === 'ack') {
          io.stdout(`${stamp()} ACKED ${line.data.incidentId} by ${line.data.by} (via ${line.data.via})\n`);
        } else {
          const link =
            line.data.kind === 'trigger' && line.data.outcome === 'delivered'
              ? ackLinks.get(`${line.data.incidentId}\n${line.data.channel}`)
              : undefined;
          io.stdout(
            `${stamp()} ${formatDeliveryLine(line.data)}${link !== undefined ? `\n         ack: ${link}` : ''}\n`,
          );
        }
      },
      onWriteError: (error) => {
        if (!writeFailed) io.stderr(`incidents are not journaled for 'vigil incidents': ${error.message}\n`);
        writeFailed = true;
      },
    });
    const ackSecret = crypto.randomUUID();
    // Slack buttons and SMS replies reach the same server, with the cores their Lambdas run.
    // People's pages, newest first: what an SMS `ACK` acknowledges (the paging path records into it).
    const pages = new MemoryPageLog();
    const slack = loaded.config.escalation?.slack;
    const smsPeople = Object.fromEntries(
      Object.entries(loaded.config.people ?? {}).flatMap(([personId, person]) =>
        person.contact.sms !== undefined ? [[person.contact.sms, { personId, name: person.name }]] : [],
      ),
    );
    const ackPorts = {
      clock: realClock,
      store,
      secret: async () => ackSecret,
      ...(slack !== undefined
        ? {
            slack: {
              signingSecret: () =>
                createSecretResolver(
                  { signingSecret: slack.signingSecret },
                  createLocalSecretBackend(io.env),
                )('signingSecret'),
            },
          }
        : {}),
      sms: {
        people: smsPeople,
        pages,
        reply: async (reply: { to: string; body: string }) => {
          io.stdout(`${stamp()} SMS   → ${reply.to}: ${reply.body}\n`);
        },
      },
    };
    try {
      ackServer = await startLocalAckServer(ackPorts, { port: options.ackPort ?? 4011 }).catch(
        (error: NodeJS.ErrnoException) => {
          if (options.ackPort === undefined && error.code === 'EADDRINUSE')
            return startLocalAckServer(ackPorts, { port: 0 });
          throw error;
        },
      );
    } catch (error) {
      await api.close();
      throw error;
    }
    ackBase = ackServer.url;
    escalation = createLocalEscalation(loaded.config, {
      env: io.env,
      store,
      ackSecret,
      ackUrl: ackBase,
      overrides: localOverrides(io.cwd),
      pages,
      print: (channel, body) => io.stdout(`${stamp()} MSG   [${channel}] ${summarizeDelivery(body)}\n`),
      onSend: (body) => {
        const link = ackLinkIn(body, ackBase);
        if (link === undefined) return;
        const params = new URL(link).searchParams;
        ackLinks.set(`${params.get('incident')}\n${params.get('channel')}`, link);
      },
    });
  }
  const heartbeats: LocalHeartbeats | undefined =
    loaded.config.heartbeats.length > 0
      ? await startLocalHeartbeats({
          app: loaded.config.app,
          heartbeats: resolveHeartbeats(loaded.config),
          print: (line) => io.stdout(`${stamp()} ${line}\n`),
          ...(escalation ? { escalation } : {}),
          demo: { lateOnPurpose: DEMO_LATE_HEARTBEAT },
        })
      : undefined;
  // The person coming on call is told at each handoff (printed), as the deployed shift notifier sends it.
  const notices: LocalShiftNotices | undefined =
    Object.keys(loaded.config.schedules).length > 0
      ? startLocalShiftNotices({
          config: loaded.config,
          overrides: localOverrides(io.cwd),
          print: (line) => io.stdout(`${stamp()} ${line}\n`),
        })
      : undefined;
  // Like the deployed check alarm: ALARM when `failWhen.failures` of the last `failWhen.outOf` periods
  // breached (CloudWatch's M-of-N evaluation, one period per run; a failed run publishes CheckDuration 0,
  // and a tick skipped while the previous run is still going has no data at all, which breaches a rate
  // check's alarm), OK when fewer did; a page on entering ALARM, a resolve on
  // leaving it. One function decides, locally and deployed alike: `checkAlarmState`.
  const defaultFailWhen = resolveFailWhen(undefined, loaded.config.checkAlarms);
  const failWhenOf = new Map(checks.map((check) => [check.name, check.failWhen]));
  const scheduleOf = new Map(checks.map((check) => [check.name, check.schedule]));
  const runsOf = new Map<string, CheckPeriod[]>();
  const alarmStates = new Map<string, CheckAlarmState>();
  const judge = (name: string, period: CheckPeriod, reason: string) => {
    if (!escalation) return;
    const failWhen = failWhenOf.get(name) ?? defaultFailWhen;
    const runs = [...(runsOf.get(name) ?? []), period].slice(-failWhen.outOf);
    runsOf.set(name, runs);
    const state = checkAlarmState(runs, failWhen, scheduleOf.get(name) ?? {});
    const previous = alarmStates.get(name) ?? 'OK';
    alarmStates.set(name, state);
    if (state === previous) return;
    if (state === 'ALARM') {
      escalateFailingCheck(escalation, loaded.config, name, reason).then(
        (outcome) => io.stdout(`${stamp()} ALARM ${outcome.alarmName}: escalation ${outcome.result}\n`),
        (error: unknown) => io.stderr(`escalation of ${name} failed: ${(error as Error).message}\n`),
      );
    } else {
      resolveLocalCheck(escalation, loaded.config, name).catch((error: unknown) =>
        io.stderr(`resolving ${name} failed: ${(error as Error).message}\n`),
      );
    }
  };
  const escalate = (result: CheckResult) =>
    judge(result.name, result.status === 'failed' ? 'failed' : 'passed', result.error ?? 'check failed');
  /** A skipped tick of a schedule group: every check of it has a silent period. */
  const skipped = (key: string) => {
    for (const check of checks.filter((each) => each.schedule.key === key)) {
      io.stdout(`${stamp()} SKIP  ${check.name}: the previous run is still going (no data this period)\n`);
      judge(check.name, 'silent', 'the previous run was still going: this run was skipped');
    }
  };
  const report = (result: CheckResult) => {
    io.stdout(`${stamp()} ${formatCheckLine(result)}\n`);
    escalate(result);
    options.onCheckResult?.(result);
  };
  const runGroup = (key: string, signal?: AbortSignal) =>
    runChecks(
      checks.filter((check) => check.schedule.key === key),
      {
        baseUrl: api.url,
        variables: loaded.variables,
        concurrency: loaded.config.runner.concurrency,
        reuseConnections: reuseConnectionsFor(loaded.config.runner.connections),
        secrets,
        location: 'local',
        onResult: report,
        ...(signal ? { signal } : {}),
      },
    );
  const kpis = resolveKpis(loaded.config);
  const datasource: KpiDatasource | undefined = kpis.length > 0 ? await createDemoDatasource() : undefined;
  const kpiGroups = new Map<string, ResolvedSchedule>(kpis.map((kpi) => [kpi.schedule.key, kpi.schedule]));
  const runKpiGroup = async (key: string, signal?: AbortSignal) => {
    if (!datasource) return [];
    const results = asPublished(
      loaded.config.app,
      await runKpis(
        kpis.filter((kpi) => kpi.schedule.key === key),
        { datasource, concurrency: 4, ...(signal ? { signal } : {}) },
      ),
    );
    if (options.onKpiResult) for (const result of results) options.onKpiResult(result);
    const rows = formatKpiTable(results).trimEnd().split('\n').slice(1, -2);
    io.stdout(`${rows.map((line) => `${new Date().toISOString().slice(11, 19)} KPI ${line}`).join('\n')}\n`);
    return results;
  };
  const every = (key: string, schedule: ResolvedSchedule): ResolvedSchedule =>
    options.intervalMs !== undefined ? { key, expression: 'local', everyMs: options.intervalMs } : schedule;
  const jobs: LocalJob[] = [
    ...[...groups].map(([key, { schedule }]) => ({
      name: `${CHECK_JOB_PREFIX}${key}`,
      schedule: every(key, schedule),
      run: async (signal: AbortSignal) => {
        await runGroup(key, signal);
      },
    })),
    ...[...kpiGroups].map(([key, schedule]) => ({
      name: `kpis:${key}`,
      schedule: every(key, schedule),
      run: async (signal: AbortSignal) => {
        await runKpiGroup(key, signal);
      },
    })),
  ];

  io.stdout(
    [
      `Demo flight API on ${api.url} (inject faults: curl -X PUT ${api.url}/__faults -d '{"down":["redis"]}')`,
      `${checks.length} checks from ${loaded.file}: ${[...groups]
        .map(([, group]) => `${group.names.length} on ${group.schedule.expression}`)
        .join(', ')}`,
      ...(kpis.length > 0 ? [`${kpis.length} KPIs on the embedded demo database (PGlite)`] : []),
      ...(heartbeats
        ? [
            `${heartbeats.pingUrls.size} heartbeats ping ${heartbeats.url}, e.g. in a crontab: curl -fsS ${[...heartbeats.pingUrls.values()][0]}`,
          ]
        : []),
      ...(notices
        ? [
            `On-call: ${plural(Object.keys(loaded.config.schedules).length, 'schedule')}; the person coming on call gets a notice at each handoff (NOTICE lines), empty slots in the next 7 days are warned (WARN)`,
          ]
        : []),
      ...(escalation
        ? [
            `Escalation: a check pages through the escalation state machine when its failWhen holds (N of the last M runs failed; default ${defaultFailWhen.failures} of ${defaultFailWhen.outOf}), on the console or VIGIL_SLACK_WEBHOOK_URL etc.`,
            `Ack links in pages are served on ${ackServer?.url} (an ack stops the escalation at its next check)`,
            `Every delivery is printed; incidents are journaled in ${incidentJournalPath(options.stateDir ?? join(io.cwd, LOCAL_STATE_DIR))} (vigil incidents)`,
            ...(ackServer !== undefined && Object.keys(loaded.config.people ?? {}).length > 0
              ? [
                  `Simulate an SMS reply to a page: curl -X POST ${ackServer.url.slice(0, -LOCAL_ACK_PATH.length)}${LOCAL_SMS_PATH} -d '{"from":"<contact.sms>","body":"ACK"}'`,
                ]
              : []),
          ]
        : []),
      '',
    ].join('\n'),
  );

  let scheduler: LocalScheduler | undefined;
  return {
    api,
    baseUrl: api.url,
    ...(ackServer !== undefined ? { ackUrl: ackServer.url } : {}),
    async runOnce() {
      const [checkResults, kpiResults] = await Promise.all([
        Promise.all([...groups.keys()].map((key) => runGroup(key, io.signal))),
        Promise.all([...kpiGroups.keys()].map((key) => runKpiGroup(key, io.signal))),
      ]);
      return { checks: checkResults.flat(), kpis: kpiResults.flat() };
    },
    startSchedules() {
      scheduler ??= startLocalScheduler(jobs, {
        onError: (job, error) => io.stderr(`${job.name} failed to run: ${(error as Error).message}\n`),
        onSkip: (job) => {
          if (job.name.startsWith(CHECK_JOB_PREFIX)) skipped(job.name.slice(CHECK_JOB_PREFIX.length));
        },
      });
      heartbeats?.startSchedules();
      notices?.start();
    },
    async stop() {
      await scheduler?.stop();
      await heartbeats?.stop();
      notices?.stop();
      escalation?.engine.stopAll();
      await ackServer?.close();
      await datasource?.close();
      await api.close();
    },
  };
};
