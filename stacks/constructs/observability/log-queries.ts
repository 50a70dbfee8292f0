import { type ILogGroup, QueryDefinition, QueryString } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The placeholder users replace with a trace id in the saved "trace lines" query. */
export const TRACE_ID_PLACEHOLDER = 'REPLACE_WITH_TRACE_ID';

/** One saved Logs Insights query: name (folders with `/`) and its lines. */
export interface LogQuery {
  readonly name: string;
  readonly title: string;
  readonly lines: readonly string[];
}

/**
 * The seeds' incident-diagnosis queries over JSON logs (Powertools Logger, Lambda JSON logs, EMF records):
 * errors by service and type, the slowest requests (checks' `CheckDuration`, or `durationMs`/`duration`
 * fields), and every log line of one trace id (X-Ray `xray_trace_id`, the runner's `traceId`, or the raw
 * message).
 *
 * @example
 * logQueries('shop').map((query) => query.name); // ['shop/errors-by-service', 'shop/slowest-requests', 'shop/trace-log-lines']
 */
export const logQueries = (app: string): readonly LogQuery[] => [
  {
    name: `${app}/errors-by-service`,
    title: 'Errors by service and type',
    lines: [
      'fields coalesce(service, @log) as source, coalesce(error.name, errorType, "Error") as type',
      'filter level = "ERROR" or level = "error"',
      'stats count(*) as errors, latest(coalesce(error.message, errorMessage, message)) as lastMessage by source, type',
      'sort errors desc',
    ],
  },
  {
    name: `${app}/slowest-requests`,
    title: 'Slowest requests',
    lines: [
      'fields @timestamp, coalesce(CheckDuration, durationMs, duration) as ms, coalesce(Check, path, url, @log) as what, coalesce(xray_trace_id, traceId) as trace',
      'filter ispresent(ms)',
      'sort ms desc',
      'limit 50',
    ],
  },
  {
    name: `${app}/trace-log-lines`,
    title: `A trace id's log lines (replace ${TRACE_ID_PLACEHOLDER})`,
    lines: [
      'fields @timestamp, @log, level, coalesce(message, error.message, errorMessage) as text',
      `filter xray_trace_id like /${TRACE_ID_PLACEHOLDER}/ or traceId like /${TRACE_ID_PLACEHOLDER}/ or @message like /${TRACE_ID_PLACEHOLDER}/`,
      'sort @timestamp asc',
      'limit 500',
    ],
  },
];

/** The Logs Insights query listing the latest errors with stack trace and trace id (dashboards, error tracking). */
export const LATEST_ERRORS_QUERY: readonly string[] = [
  'fields @timestamp, @log, coalesce(error.name, errorType) as type, coalesce(error.message, errorMessage, message) as text, coalesce(error.stack, stack) as stackTrace, coalesce(xray_trace_id, traceId) as trace',
  'filter level = "ERROR" or level = "error"',
  'sort @timestamp desc',
  'limit 50',
];

const toQueryString = (lines: readonly string[]): QueryString => {
  const of = (command: string) =>
    lines.filter((line) => line.startsWith(`${command} `)).map((line) => line.slice(command.length + 1));
  const [sort] = of('sort');
  const [limit] = of('limit');
  return new QueryString({
    fields: of('fields'),
    filterStatements: of('filter'),
    statsStatements: of('stats'),
    ...(sort !== undefined ? { sort } : {}),
    ...(limit !== undefined ? { limit: Number(limit) } : {}),
  });
};

/** Props for {@link LogQueries}. */
export interface LogQueriesProps {
  readonly app: string;
  /** Log groups the saved queries run over by default. */
  readonly logGroups: readonly ILogGroup[];
}

/**
 * Saved Logs Insights queries (`AWS::Logs::QueryDefinition`) for the incident-diagnosis workflow, in a
 * folder named after the app.
 *
 * @example
 * new LogQueries(this, 'Queries', { app: 'shop', logGroups });
 */
export class LogQueries extends Construct {
  public readonly queries: readonly QueryDefinition[];

  public constructor(scope: Construct, id: string, props: LogQueriesProps) {
    super(scope, id);
    this.queries = logQueries(props.app).map(
      (query) =>
        new QueryDefinition(this, query.name.split('/').at(-1) as string, {
          queryDefinitionName: query.name,
          queryString: toQueryString(query.lines),
          ...(props.logGroups.length > 0 ? { logGroups: [...props.logGroups] } : {}),
        }),
    );
  }
}
