import { VirtualClock } from '../../functions/commons/clock';
import { parseDuration } from '../../functions/commons/config/duration';
import { ConfigLoadError, ConfigValidationError } from '../../functions/commons/config/errors';
import { timezoneSchema } from '../../functions/commons/config/escalation-schema';
import type { VigilConfig } from '../../functions/commons/config/schema';
import { instantOf, parseWallClock, wallClockExists } from '../../functions/commons/zoned-time';
import { executionName } from '../../functions/escalation/core/execution-name';
import { personOfChannel } from '../../functions/escalation/core/person-pages';
import { localOverrides } from '../../functions/oncall/adapters/file-override-store';
import {
  createLocalEscalation,
  recoverLocalAlarm,
  simulatedAlarm,
} from '../local/escalation/local-escalation';
import type { TimelineEvent } from '../local/escalation/local-escalation-engine';
import { type CliCommand, type CliIO, EXIT } from './cli-command';
import { loadCliConfigFile } from './load-cli-config';
import { createLocalSecretBackend } from './local-secret-backend';

const USAGE = `vigil simulate --alarm NAME [--config F] [--ack-after DUR] [--resolve-after DUR] [--at TIME [--tz ZONE]] [--deliver] [--json]

Runs the escalation state machine cdk deploy ships, with your config, locally (waits compressed) with the real
handler code, and prints the timeline of notifications, acks and resolutions. Messages are printed, not
sent ("printed" in the timeline), unless --deliver is given.
  --alarm NAME         an alert rule name (ServiceDown) or an alarm name
  --deliver            send for real: each channel to its configured secret when VIGIL_SECRET_<REF> supplies
                       it, else VIGIL_SLACK_WEBHOOK_URL / VIGIL_PAGERDUTY_ROUTING_KEY / VIGIL_TEAMS_WEBHOOK_URL /
                       VIGIL_WEBHOOK_URL by type; channels with neither (and email/SMS) are printed
  --ack-after DUR      someone acknowledges after DUR (e.g. 3m)
  --resolve-after DUR  the alarm returns to OK after DUR (e.g. 7m)
  --at TIME            when the alarm fires (default: now): ISO 8601 with an offset, or 'YYYY-MM-DDTHH:MM'
                       with --tz; shows business-hours deferral and who is on call then
  --tz ZONE            time zone of a local --at (e.g. Europe/London)
  --json               print { "events": [...] }`;

interface SimulateArgs {
  alarm: string;
  config?: string;
  ackAfterMs?: number;
  resolveAfterMs?: number;
  at?: string;
  tz?: string;
  deliver: boolean;
  json: boolean;
}

class SimulateUsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'SimulateUsageError';
  }
}

const parseArgs = (argv: readonly string[]): SimulateArgs => {
  const args: Partial<SimulateArgs> = { json: false, deliver: false };
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index];
    const value = () => {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) throw new SimulateUsageError(`${flag} needs a value`);
      index += 1;
      return next;
    };
    const duration = () => {
      const text = value();
      const ms = parseDuration(text);
      if (ms === undefined)
        throw new SimulateUsageError(`${flag}: invalid duration '${text}' (e.g. 30s, 3m, 1h)`);
      return ms;
    };
    switch (flag) {
      case '--alarm':
        args.alarm = value();
        break;
      case '--config':
        args.config = value();
        break;
      case '--ack-after':
        args.ackAfterMs = duration();
        break;
      case '--resolve-after':
        args.resolveAfterMs = duration();
        break;
      case '--at':
        args.at = value();
        break;
      case '--tz': {
        const zone = value();
        if (!timezoneSchema.safeParse(zone).success)
          throw new SimulateUsageError(`--tz: unknown IANA time zone '${zone}' (e.g. Europe/London, UTC)`);
        args.tz = zone;
        break;
      }
      case '--json':
        args.json = true;
        break;
      case '--deliver':
        args.deliver = true;
        break;
      default:
        throw new SimulateUsageError(`unknown option '${flag}'`);
    }
  }
  if (args.alarm === undefined) throw new SimulateUsageError('--alarm NAME is required');
  if (args.tz !== undefined && args.at === undefined) throw new SimulateUsageError('--tz needs --at');
  return args as SimulateArgs;
};

/** The instant of `--at` (and a note when a local time falls in a daylight-saving gap). */
const startOf = (args: SimulateArgs): { at?: number; note?: string } => {
  if (args.at === undefined) return {};
  const local = parseWallClock(args.at);
  if (local !== undefined) {
    if (args.tz === undefined)
      throw new SimulateUsageError(`--at: '${args.at}' has no offset: add one (Z, +01:00) or --tz ZONE`);
    const at = instantOf(local, args.tz);
    return wallClockExists(local, args.tz)
      ? { at }
      : {
          at,
          note: `${args.at} does not exist in ${args.tz} (clocks go forward): simulating ${new Date(at).toISOString()}`,
        };
  }
  const at = Date.parse(args.at);
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(args.at) || Number.isNaN(at))
    throw new SimulateUsageError(
      `--at: invalid time '${args.at}': use ISO 8601 with an offset ('2027-03-28T09:00Z') or 'YYYY-MM-DDTHH:MM' with --tz`,
    );
  return { at };
};

/** A person channel as `Alice Martin (sms)`; any other channel as named. */
const channelLabel = (config: VigilConfig, channel: string): string => {
  const person = personOfChannel(channel);
  if (person === undefined) return channel;
  const name = Object.hasOwn(config.people, person) ? config.people[person]?.name : undefined;
  return `${name ?? person} (${channel.slice(channel.indexOf('/') + 1)})`;
};

const run = async (argv: readonly string[], io: CliIO): Promise<number> => {
  let args: SimulateArgs;
  let when: ReturnType<typeof startOf>;
  try {
    args = parseArgs(argv);
    when = startOf(args);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\nusage: ${USAGE}\n`);
    return EXIT.invalid;
  }
  let config: VigilConfig;
  try {
    config = loadCliConfigFile(args.config, io.cwd).config;
  } catch (error) {
    if (error instanceof ConfigValidationError || error instanceof ConfigLoadError) {
      io.stderr(`${error.message}\n`);
      return EXIT.invalid;
    }
    throw error;
  }
  if (config.escalation === undefined) {
    io.stderr("the config has no 'escalation' section: nothing to simulate\n");
    return EXIT.invalid;
  }
  const start = when.at ?? Math.floor(Date.now() / 1000) * 1000;
  const clock = new VirtualClock(start);
  const deliveries: string[] = [];
  const local = createLocalEscalation(config, {
    clock,
    overrides: localOverrides(io.cwd),
    print: (channel, body) => deliveries.push(`${channel}: ${body}`),
    // Without --deliver nothing is sent: no VIGIL_* variable or secret is read, every channel prints.
    ...(args.deliver ? { env: io.env, secretBackend: createLocalSecretBackend(io.env) } : {}),
  });
  const alarm = simulatedAlarm(config, args.alarm, start);
  const incidentId = executionName(alarm.alarmName, alarm.stateChangedAt);
  local.alarms.set(alarm.alarmName, 'ALARM');
  if (args.ackAfterMs !== undefined) {
    clock.schedule(start + args.ackAfterMs, async () => {
      await local.engine.acknowledge(incidentId, 'simulated on-call', 'simulation');
    });
  }
  if (args.resolveAfterMs !== undefined) {
    const at = start + args.resolveAfterMs;
    clock.schedule(at, async () => {
      await recoverLocalAlarm(local, alarm.alarmName, at);
    });
  }
  await local.engine.ingest(alarm);
  await local.engine.done(incidentId);
  const events = (await local.engine.timeline(incidentId)).map(({ atMs: _atMs, ...event }) => ({
    ...event,
    ...(personOfChannel(event.channel) !== undefined ? { person: channelLabel(config, event.channel) } : {}),
  }));
  if (args.json) {
    io.stdout(`${JSON.stringify({ events }, null, 2)}\n`);
  } else {
    if (when.note !== undefined) io.stdout(`${when.note}\n`);
    io.stdout(
      `Simulated escalation of ${alarm.alarmName} (incident ${incidentId}) at ${new Date(start).toISOString()}; ${args.deliver ? 'delivered for real where a channel has a URL or key, printed otherwise' : 'messages printed, not sent (--deliver sends them)'}\n`,
    );
    for (const event of events) {
      const channel = channelLabel(config, event.channel);
      io.stdout(
        `${event.at.padEnd(7)} ${event.type.padEnd(10)} ${channel.padEnd(20)} ${event.level === null ? '  ' : `L${event.level}`}  ${event.detail}\n`,
      );
    }
  }
  const failed = failedNotifications(events);
  if (failed.length > 0) io.stderr(`${failed.join('\n')}\n`);
  return failed.length > 0 ? EXIT.failed : EXIT.ok;
};

/**
 * The notifications of a simulated timeline that failed, one line each (`+5m oncall-sms: TypeError: ...`).
 * Any of them makes `vigil simulate` exit 1: a level that pages nobody must not look like a success.
 */
export const failedNotifications = (
  events: readonly Pick<TimelineEvent, 'at' | 'type' | 'channel' | 'detail'>[],
): string[] =>
  events
    .filter((event) => event.type === 'failed')
    .map((event) => `notification failed: ${event.at} ${event.channel}: ${event.detail}`);

/** `vigil simulate`: the escalation timeline of an alarm, from the deployed state machine definition. */
export const simulateCommand: CliCommand = {
  usage: USAGE,
  run,
};
