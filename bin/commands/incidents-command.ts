import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { incidentJournalPath, LOCAL_STATE_DIR } from '../local/incident-journal';
import { type CliCommand, type CliIO, EXIT } from './cli-command';
import { formatIncident, formatIncidentTable, incidentSummary } from './incident-report';
import { dynamoDbSource, type IncidentSource, journalSource } from './incident-sources';

/** Environment variable naming the deployed incidents table (the escalation stack's `IncidentsTableName` output). */
export const INCIDENTS_TABLE_ENV = 'VIGIL_TABLE_NAME';

const USAGE = `vigil incidents [ID] [--json] [--state-dir DIR | --aws [--table NAME]]

Lists incidents, or prints one incident's timeline and audit trail.
  ID               the incident (its Step Functions execution name) to show
  --json           print JSON: { "source", "incidents": [...] } or { "incident", "ack", "audit" }
  --state-dir DIR  local mode: read the journal npm start writes (default: .vigil, i.e. ${incidentJournalPath(LOCAL_STATE_DIR)})
  --aws            read the deployed DynamoDB table with your AWS credentials; the table is --table NAME,
                   else ${INCIDENTS_TABLE_ENV} (the escalation stack's IncidentsTableName output)
  --table NAME     the DynamoDB table (implies --aws)
Exit codes: 0 shown, 1 no such incident or the store could not be read, 2 bad usage.`;

interface IncidentsArgs {
  id?: string;
  json: boolean;
  aws: boolean;
  table?: string;
  stateDir?: string;
}

class IncidentsUsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'IncidentsUsageError';
  }
}

const parseArgs = (argv: readonly string[]): IncidentsArgs => {
  const args: IncidentsArgs = { json: false, aws: false };
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index] ?? '';
    const value = () => {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) throw new IncidentsUsageError(`${flag} needs a value`);
      index += 1;
      return next;
    };
    if (flag === '--json') args.json = true;
    else if (flag === '--aws') args.aws = true;
    else if (flag === '--table') {
      args.table = value();
      args.aws = true;
    } else if (flag === '--state-dir') args.stateDir = value();
    else if (flag.startsWith('--')) throw new IncidentsUsageError(`unknown option '${flag}'`);
    else if (args.id === undefined) args.id = flag;
    else throw new IncidentsUsageError(`one incident at a time: '${args.id}' and '${flag}' given`);
  }
  if (args.aws && args.stateDir !== undefined)
    throw new IncidentsUsageError(
      '--state-dir reads the local journal; --aws/--table the deployed table: pick one',
    );
  return args;
};

const sourceOf = (args: IncidentsArgs, io: CliIO): IncidentSource => {
  if (!args.aws) return journalSource(incidentJournalPath(args.stateDir ?? join(io.cwd, LOCAL_STATE_DIR)));
  const table = args.table ?? io.env[INCIDENTS_TABLE_ENV];
  if (table === undefined || table === '')
    throw new IncidentsUsageError(
      `--aws needs the incidents table: --table NAME or ${INCIDENTS_TABLE_ENV} (the escalation stack's IncidentsTableName output)`,
    );
  return dynamoDbSource(new DynamoDBClient({}), table);
};

const run = async (argv: readonly string[], io: CliIO): Promise<number> => {
  let args: IncidentsArgs;
  let source: IncidentSource;
  try {
    args = parseArgs(argv);
    source = sourceOf(args, io);
  } catch (error) {
    if (!(error instanceof IncidentsUsageError)) throw error;
    io.stderr(`${error.message}\n\nusage: ${USAGE}\n`);
    return EXIT.invalid;
  }
  try {
    if (args.id !== undefined) {
      const records = await source.one(args.id);
      if (records === undefined) {
        io.stderr(`no incident '${args.id}' in ${source.description}: 'vigil incidents' lists them\n`);
        return EXIT.failed;
      }
      io.stdout(
        args.json
          ? `${JSON.stringify({ incident: records.incident, ack: records.ack ?? null, audit: records.audit }, null, 2)}\n`
          : `${formatIncident(records)}\n`,
      );
      return EXIT.ok;
    }
    const all = await source.all();
    io.stdout(
      args.json
        ? `${JSON.stringify({ source: source.description, incidents: all.map(incidentSummary) }, null, 2)}\n`
        : `Incidents in ${source.description}\n${formatIncidentTable(all)}\n`,
    );
    return EXIT.ok;
  } catch (error) {
    const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr(`cannot read incidents from ${source.description}: ${cause}\n`);
    return EXIT.failed;
  }
};

/** `vigil incidents`: incidents of local mode's journal or the deployed table, and one incident's timeline. */
export const incidentsCommand: CliCommand = {
  usage: USAGE,
  run,
};
