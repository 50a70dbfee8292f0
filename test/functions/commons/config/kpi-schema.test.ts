import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { resolveKpis } from '../../../../functions/commons/config/resolve-kpis';
import { configIssueLines } from '../../../helpers/config-issues';

const base = { app: 'shop', environments: { local: { baseUrl: 'http://127.0.0.1:4010' } } };
const datasources = { db: { type: 'postgres', secret: { secretsManager: 'shop/reader' } } };

const issuesOf = configIssueLines;

describe('kpis config', () => {
  it('rejects metric and dimension names that would break the EMF document or that CloudWatch drops', () => {
    // Prepare
    const kpi = (name: string, extra: Record<string, unknown>) => ({
      name,
      datasource: 'db',
      sql: 'SELECT 1',
      ...extra,
    });

    // Act
    const issues = issuesOf({
      ...base,
      datasources,
      kpis: [
        kpi('named_like_kpi', { values: ['Kpi'] }),
        kpi('named_like_app', { values: [{ column: 'v', metric: 'App' }] }),
        kpi('named_like_dimension', { values: [{ column: 'v', metric: 'city' }], dimensions: ['city'] }),
        kpi('named_aws', { values: ['_aws'] }),
        kpi('leading_colon', {
          values: [{ column: 'v', metric: ':v' }],
          dimensions: [{ column: 'c', name: ':c' }],
        }),
        kpi('non_ascii', { values: ['zürich'], dimensions: ['stadt_größe'] }),
        kpi('fine', { values: [{ column: 'v', metric: 'conversion_rate' }], dimensions: ['city'] }),
      ],
    });

    // Assess
    expect(issues).toEqual([
      'kpis[4].values[0].metric: metric name \':v\' cannot start with ":"',
      'kpis[4].dimensions[0].name: dimension name \':c\' cannot start with ":"',
      "kpis[0].values[0]: metric name 'Kpi' is also a dimension name of this KPI's metrics (App, Kpi): EMF cannot carry both",
      "kpis[1].values[0]: metric name 'App' is also a dimension name of this KPI's metrics (App, Kpi): EMF cannot carry both",
      "kpis[2].values[0]: metric name 'city' is also a dimension name of this KPI's metrics (App, Kpi, city): EMF cannot carry both",
      "kpis[3].values[0]: metric name '_aws' is reserved by the embedded metric format (it holds the EMF metadata) (the column name is the metric name)",
      'kpis[5].values[0]: metric name \'zürich\': use 1-255 letters, digits or "_ . - / # :" (the column name is the metric name)',
      'kpis[5].dimensions[0]: dimension name \'stadt_größe\': use 1-255 letters, digits or "_ . - / # :" (the column name is the dimension name)',
    ]);
  });

  it('reports every KPI problem at once, each with its path', () => {
    // Act
    const issues = issuesOf({
      ...base,
      datasources,
      kpis: [
        { name: 'a', datasource: 'nope', sql: 'SELECT 1 AS v WHERE x > :since', values: ['v'] },
        {
          name: 'a',
          datasource: 'db',
          sql: 'SELECT 1 AS v WHERE t >= :window_start',
          values: ['v'],
          dimensions: ['v'],
          alarmOn: 'w',
          thresholds: { critical: { below: 20 }, warning: { below: 10 } },
          schedule: { cron: '0 8 * * ? *' },
        },
      ],
    });
    const structural = issuesOf({
      ...base,
      datasources,
      kpis: [
        {
          name: 'c',
          datasource: 'db',
          sql: 'SELECT 1',
          values: ['v'],
          thresholds: { critical: { under: 3 } },
        },
      ],
    });

    // Assess
    expect(issues).toEqual(
      expect.arrayContaining([
        "kpis[0].datasource: unknown datasource 'nope': declare it under 'datasources' (known: db)",
        "kpis[0].sql: the SQL uses ':since', which is not a declared parameter (declare it under 'parameters')",
        "kpis[1].name: duplicate KPI name 'a'",
        "kpis[1].sql: the SQL uses ':window_start', which is not a declared parameter (set 'window', e.g. window: '24h', to bind it)",
        "kpis[1].dimensions[0]: column 'v' is both a value and a dimension",
        "kpis[1].alarmOn: 'w' is not one of this KPI's value columns (v)",
        'kpis[1].thresholds.critical.below: critical (below 20) must be at or below warning (below 10)',
        "kpis[1].period: cron-scheduled KPIs need 'period': how long one datapoint stands for, e.g. '1d'",
      ]),
    );
    expect(structural).toEqual([
      'kpis[0].thresholds.critical: a threshold is { below: <number> } or { above: <number> }',
    ]);
  });

  it('resolves defaults, shorthands and the alarmed metric', () => {
    // Act
    const [kpi] = resolveKpis(
      parseConfig({
        ...base,
        defaults: { team: 'growth' },
        datasources,
        kpis: [
          {
            name: 'signups',
            datasource: 'db',
            sql: 'SELECT count(*) AS n, region FROM users WHERE created_at >= :window_start GROUP BY region',
            window: '1h',
            values: [{ column: 'n', metric: 'Signups', unit: 'Count' }],
            dimensions: [{ column: 'region', name: 'Region' }],
            thresholds: { warning: { below: 5 } },
            timeout: '10s',
          },
        ],
      }),
    );

    // Assess
    expect(kpi).toMatchObject({
      name: 'signups',
      windowMs: 3_600_000,
      values: [{ column: 'n', metric: 'Signups', unit: 'Count' }],
      dimensions: [{ column: 'region', name: 'Region' }],
      alarmOn: 'Signups',
      thresholds: [{ severity: 'warning', direction: 'below', value: 5 }],
      schedule: { key: 'every-5m', expression: 'rate(5 minutes)' },
      periodMs: 300_000,
      team: 'growth',
      timeoutMs: 10_000,
      maxSeries: 10,
      emptyAs: 'missing',
    });
  });

  it('refuses KPI SQL that is more than one statement, or not a query, naming where it goes wrong', () => {
    // Prepare
    const kpi = (name: string, sql: string) => ({ name, datasource: 'db', sql, values: ['value'] });

    // Act
    const issues = issuesOf({
      ...base,
      datasources,
      kpis: [
        kpi('commit_then_delete', 'COMMIT; DELETE FROM bookings'),
        kpi('timeout_off', 'SET statement_timeout = 0;\nSELECT pg_sleep(45) AS value'),
        kpi('hidden', "SELECT 1 AS value -- note\n; INSERT INTO audit VALUES ('x')"),
        kpi('bare_write', 'DELETE FROM bookings RETURNING 1 AS value'),
        kpi('unterminated', "SELECT 'open AS value"),
        kpi('escapes_wrapper', 'SELECT 1 AS value) AS q, (SELECT 2'),
        kpi('trailing_semicolon', "SELECT count(*) AS value /* ; */ FROM t WHERE s <> ';' -- ;\n;"),
        kpi('dollar_quoted', 'SELECT $x$ ; DROP TABLE t; $x$ AS note, 1 AS value;'),
      ],
    });

    // Assess
    expect(issues).toEqual([
      "kpis[0].sql: the SQL holds 2 statements; a KPI runs exactly one query (the second starts at line 1, column 9: 'DELETE FROM bookings'). Only a trailing semicolon may follow it",
      "kpis[1].sql: the SQL holds 2 statements; a KPI runs exactly one query (the second starts at line 2, column 1: 'SELECT pg_sleep(45) AS value'). Only a trailing semicolon may follow it",
      "kpis[2].sql: the SQL holds 2 statements; a KPI runs exactly one query (the second starts at line 2, column 3: 'INSERT INTO audit VALUES ('x')'). Only a trailing semicolon may follow it",
      "kpis[3].sql: a KPI runs one query (SELECT, WITH … SELECT, VALUES or TABLE); this SQL starts with 'DELETE'",
      'kpis[4].sql: the SQL ends inside a string literal opened at line 1, column 8',
      "kpis[5].sql: the ')' at line 1, column 18 closes no '('",
    ]);
  });
});
