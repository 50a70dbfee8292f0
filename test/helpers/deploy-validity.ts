import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import validateAsl from 'asl-validator';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AWS_LIMITS, maxEvaluationRangeSeconds } from '../../functions/commons/aws-limits';
import { deployLimitViolations } from '../../stacks/deploy-limits';
import { countDashboard } from './scale-fixture';

/**
 * Checks over a synthesized cloud assembly that stand in for a deploy into an empty account: the
 * services' limits, physical names unique per account and region, every reference resolvable, Lambda
 * handlers that load, state machines an independent ASL validator accepts. Used by
 * test/stacks/deploy-validity.test.ts.
 */

type Json = unknown;
type Resource = { Type: string; Properties?: Record<string, Json> };

/** One synthesized stack: where it deploys and its template. */
export interface SynthesizedTemplate {
  readonly stack: string;
  readonly region: string;
  readonly account: string;
  readonly resources: Readonly<Record<string, Resource>>;
  readonly outputs: Readonly<Record<string, { Export?: { Name?: Json } }>>;
}

/** A placeholder ARN standing in for a token (`Ref`, `Fn::GetAtt` …) when a value is rendered. */
export const TOKEN_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:placeholder-token';

/** Every stack template of an assembly directory, with its region and account. */
export const readTemplates = (outdir: string): SynthesizedTemplate[] =>
  new CloudAssembly(outdir).stacks.map((stack) => {
    const template = stack.template as {
      Resources?: Record<string, Resource>;
      Outputs?: Record<string, { Export?: { Name?: Json } }>;
    };
    return {
      stack: stack.stackName,
      region: stack.environment.region,
      account: stack.environment.account,
      resources: template.Resources ?? {},
      outputs: template.Outputs ?? {},
    };
  });

/** A token standing for a name in a rendered text (skipped by the name checks). */
const TOKEN_NAME = '__TOKEN__';

const PSEUDO: Readonly<Record<string, string>> = {
  'AWS::AccountId': '123456789012',
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

/**
 * A token as deployed: pseudo parameters as plausible values (the region as given), anything else
 * (`Ref`, `Fn::GetAtt` …) as {@link TOKEN_ARN}.
 */
export const placeholder =
  (region = 'us-east-1') =>
  (value: Json): string => {
    const ref = (value as { Ref?: Json } | undefined)?.Ref;
    if (ref === 'AWS::Region') return region;
    return (typeof ref === 'string' ? PSEUDO[ref] : undefined) ?? TOKEN_ARN;
  };

/** A value as deployed: strings as they are, `Fn::Join` joined, tokens as {@link placeholder}s. */
export const render = (value: Json, token: (value: Json) => string = placeholder()): string => {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, Json[]] } | undefined)?.['Fn::Join'];
  if (join !== undefined) return join[1].map((part) => render(part, token)).join(join[0]);
  return token(value);
};

const isLiteral = (value: Json): value is string => typeof value === 'string';
const each = function* (templates: readonly SynthesizedTemplate[], ...types: string[]) {
  for (const template of templates) {
    for (const [id, resource] of Object.entries(template.resources)) {
      if (types.includes(resource.Type)) yield { template, id, props: resource.Properties ?? {} };
    }
  }
};

/** The resource name of an alarm ARN a rule or dashboard names (`…:alarm:<name>`). */
const ALARM_ARN = /arn:[^:"]+:cloudwatch:[^:"]*:[^:"]*:alarm:([^"\s)]+)/g;

/**
 * Every limit a synthesized template can break at deploy, as `stack resource: problem` lines: the synth
 * guard's (template bytes, resources, state machine definition bytes) plus alarm names, descriptions,
 * periods, `period × evaluationPeriods`, metrics per metric-math alarm, composite rules, dashboards,
 * schedule groups and expressions, state machine and log group names.
 */
export const limitViolations = (outdir: string, templates: readonly SynthesizedTemplate[]): string[] => {
  const problems = deployLimitViolations(new CloudAssembly(outdir)).map(
    (v) => `${v.stack}${v.resource ? ` ${v.resource}` : ''}: ${v.message}`,
  );
  const over = (where: string, what: string, value: number, limit: number) => {
    if (value > limit) problems.push(`${where}: ${what} ${value} > ${limit}`);
  };
  for (const { template, id, props } of each(
    templates,
    'AWS::CloudWatch::Alarm',
    'AWS::CloudWatch::CompositeAlarm',
  )) {
    const where = `${template.stack} ${id}`;
    if (isLiteral(props.AlarmName)) over(where, 'alarm name', props.AlarmName.length, AWS_LIMITS.alarmName);
    if (props.AlarmDescription !== undefined) {
      over(where, 'alarm description', render(props.AlarmDescription).length, AWS_LIMITS.alarmDescription);
    }
    if (props.AlarmRule !== undefined) {
      over(where, 'composite rule', render(props.AlarmRule).length, AWS_LIMITS.compositeAlarmRule);
    }
    const metrics = (props.Metrics as { MetricStat?: { Period?: number }; Expression?: string }[]) ?? [];
    const periods = [
      ...(typeof props.Period === 'number' ? [props.Period] : []),
      ...metrics.flatMap((m) => (m.MetricStat?.Period !== undefined ? [m.MetricStat.Period] : [])),
    ];
    over(where, 'metric stats', metrics.filter((m) => m.MetricStat).length, AWS_LIMITS.alarmMetricStats);
    over(where, 'expressions', metrics.filter((m) => m.Expression).length, AWS_LIMITS.alarmExpressions);
    const evaluationPeriods = Number(props.EvaluationPeriods ?? 1);
    for (const period of periods) {
      over(where, 'period', period, AWS_LIMITS.alarmPeriodSeconds);
      if (period % 60 !== 0 && ![10, 20, 30].includes(period)) problems.push(`${where}: period ${period}`);
      over(
        where,
        'period x evaluationPeriods',
        period * evaluationPeriods,
        maxEvaluationRangeSeconds(period),
      );
    }
    if (props.DatapointsToAlarm !== undefined) {
      over(where, 'datapointsToAlarm', Number(props.DatapointsToAlarm), evaluationPeriods);
    }
  }
  for (const { template, id, props } of each(templates, 'AWS::CloudWatch::Dashboard')) {
    const where = `${template.stack} ${id}`;
    const name = String(props.DashboardName);
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) problems.push(`${where}: dashboard name '${name}'`);
    const counts = countDashboard(props.DashboardBody);
    over(where, 'widgets', counts.widgets, AWS_LIMITS.dashboardWidgets);
    over(where, 'dashboard metrics', counts.metrics, AWS_LIMITS.dashboardMetrics);
  }
  for (const { template, id, props } of each(templates, 'AWS::Scheduler::ScheduleGroup')) {
    over(
      `${template.stack} ${id}`,
      'schedule group name',
      String(props.Name).length,
      AWS_LIMITS.scheduleGroupName,
    );
  }
  for (const { template, id, props } of each(templates, 'AWS::Scheduler::Schedule')) {
    const where = `${template.stack} ${id}`;
    over(
      where,
      'schedule expression',
      String(props.ScheduleExpression).length,
      AWS_LIMITS.scheduleExpression,
    );
    over(
      where,
      'schedule description',
      String(props.Description ?? '').length,
      AWS_LIMITS.scheduleDescription,
    );
  }
  for (const { template, id, props } of each(templates, 'AWS::StepFunctions::StateMachine')) {
    if (isLiteral(props.StateMachineName)) {
      over(
        `${template.stack} ${id}`,
        'state machine name',
        props.StateMachineName.length,
        AWS_LIMITS.stateMachineName,
      );
    }
  }
  for (const { template, id, props } of each(templates, 'AWS::Logs::LogGroup')) {
    if (isLiteral(props.LogGroupName)) {
      over(`${template.stack} ${id}`, 'log group name', props.LogGroupName.length, AWS_LIMITS.logGroupName);
    }
  }
  for (const { template, id, props } of each(templates, 'AWS::Logs::QueryDefinition')) {
    over(`${template.stack} ${id}`, 'query name', String(props.Name).length, AWS_LIMITS.queryDefinitionName);
  }
  return problems;
};

/** Physical-name properties, by the scope their names must be unique in. */
const NAMED: readonly {
  types: readonly string[];
  property: string;
  scope: 'region' | 'account';
  family: string;
}[] = [
  {
    types: ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'],
    property: 'AlarmName',
    scope: 'region',
    family: 'alarm',
  },
  { types: ['AWS::CloudWatch::Dashboard'], property: 'DashboardName', scope: 'account', family: 'dashboard' },
  { types: ['AWS::Scheduler::ScheduleGroup'], property: 'Name', scope: 'region', family: 'schedule group' },
  { types: ['AWS::Scheduler::Schedule'], property: 'Name', scope: 'region', family: 'schedule' },
  { types: ['AWS::Logs::LogGroup'], property: 'LogGroupName', scope: 'region', family: 'log group' },
  { types: ['AWS::Lambda::Function'], property: 'FunctionName', scope: 'region', family: 'function' },
  {
    types: ['AWS::StepFunctions::StateMachine'],
    property: 'StateMachineName',
    scope: 'region',
    family: 'state machine',
  },
  { types: ['AWS::SNS::Topic'], property: 'TopicName', scope: 'region', family: 'topic' },
  { types: ['AWS::DynamoDB::Table'], property: 'TableName', scope: 'region', family: 'table' },
  { types: ['AWS::Events::Rule'], property: 'Name', scope: 'region', family: 'rule' },
  { types: ['AWS::SecretsManager::Secret'], property: 'Name', scope: 'region', family: 'secret' },
  { types: ['AWS::IAM::Role'], property: 'RoleName', scope: 'account', family: 'role' },
  { types: ['AWS::S3::Bucket'], property: 'BucketName', scope: 'account', family: 'bucket' },
];

/**
 * Physical names two resources would both take in one account (and region, where the name is regional):
 * the second would fail "already exists". Stacks without an account count as one account.
 */
export const physicalNameCollisions = (templates: readonly SynthesizedTemplate[]): string[] => {
  const seen = new Map<string, string>();
  const collisions: string[] = [];
  for (const named of NAMED) {
    for (const { template, id, props } of each(templates, ...named.types)) {
      const name = props[named.property];
      if (!isLiteral(name)) continue;
      const key = `${named.family}|${template.account}|${named.scope === 'region' ? template.region : '*'}|${name}`;
      const where = `${template.stack} ${id}`;
      const previous = seen.get(key);
      if (previous !== undefined) collisions.push(`${named.family} '${name}': ${previous} and ${where}`);
      else seen.set(key, where);
    }
  }
  return collisions;
};

/**
 * References a deploy into an empty account could not resolve: imports no stack exports in that region,
 * `Ref`/`Fn::GetAtt` to resources the template lacks, log groups named by metric filters and saved
 * queries that no stack creates and the config does not declare external, alarms named by dashboards,
 * composite rules and suppressors that no stack creates, SNS topics named by ARN that no stack creates.
 * The alarm names found by ARN are added to `referencedAlarms`.
 */
export const unresolvedReferences = (
  templates: readonly SynthesizedTemplate[],
  externalLogGroups: readonly string[] = [],
  referencedAlarms = new Set<string>(),
): string[] => {
  const problems: string[] = [];
  const exports = new Set<string>();
  const logGroups = new Set<string>();
  const alarms = new Set<string>();
  const topics = new Set<string>();
  for (const template of templates) {
    for (const output of Object.values(template.outputs)) {
      if (isLiteral(output.Export?.Name)) exports.add(`${template.region}|${output.Export.Name}`);
    }
  }
  for (const { template, props } of each(templates, 'AWS::Logs::LogGroup')) {
    if (isLiteral(props.LogGroupName)) logGroups.add(`${template.region}|${props.LogGroupName}`);
  }
  for (const { template, props } of each(
    templates,
    'AWS::CloudWatch::Alarm',
    'AWS::CloudWatch::CompositeAlarm',
  )) {
    if (isLiteral(props.AlarmName)) alarms.add(`${template.region}|${props.AlarmName}`);
  }
  for (const { template, props } of each(templates, 'AWS::SNS::Topic')) {
    if (isLiteral(props.TopicName)) topics.add(`${template.region}|${props.TopicName}`);
  }
  const external = new Set(externalLogGroups);
  const logGroup = (template: SynthesizedTemplate, where: string, name: Json) => {
    if (isLiteral(name) && !logGroups.has(`${template.region}|${name}`) && !external.has(name)) {
      problems.push(`${where}: log group '${name}' is neither created by a stack nor declared external`);
    }
  };
  for (const template of templates) {
    const visit = (value: Json, where: string): void => {
      if (Array.isArray(value)) {
        for (const item of value) visit(item, where);
        return;
      }
      if (value === null || typeof value !== 'object') return;
      const record = value as Record<string, Json>;
      const imported = record['Fn::ImportValue'];
      if (isLiteral(imported) && !exports.has(`${template.region}|${imported}`)) {
        problems.push(`${where}: imports '${imported}', which no stack in ${template.region} exports`);
      }
      const ref = record.Ref;
      if (isLiteral(ref) && !ref.startsWith('AWS::') && template.resources[ref] === undefined) {
        problems.push(`${where}: Ref to '${ref}', not in the template`);
      }
      const getAtt = record['Fn::GetAtt'] as [string, string] | undefined;
      if (Array.isArray(getAtt) && template.resources[getAtt[0]] === undefined) {
        problems.push(`${where}: Fn::GetAtt of '${getAtt[0]}', not in the template`);
      }
      for (const child of Object.values(record)) visit(child, where);
    };
    for (const [id, resource] of Object.entries(template.resources)) {
      const where = `${template.stack} ${id}`;
      visit(resource.Properties ?? {}, where);
      const props = resource.Properties ?? {};
      if (resource.Type === 'AWS::Logs::MetricFilter' || resource.Type === 'AWS::Logs::SubscriptionFilter') {
        logGroup(template, where, props.LogGroupName);
      }
      if (resource.Type === 'AWS::Logs::QueryDefinition') {
        for (const name of (props.LogGroupNames as Json[] | undefined) ?? []) logGroup(template, where, name);
      }
      const text = render(props, (token) => JSON.stringify(token));
      // Names that are themselves tokens (an alarm of another stack, imported) are checked as imports.
      const pseudo = placeholder(template.region);
      const token = (value: Json) => (pseudo(value) === TOKEN_ARN ? TOKEN_NAME : pseudo(value));
      const named = [
        ...(resource.Type === 'AWS::CloudWatch::Dashboard' ? [render(props.DashboardBody, token)] : []),
        ...(resource.Type === 'AWS::CloudWatch::CompositeAlarm'
          ? [render(props.AlarmRule, token), render(props.ActionsSuppressor ?? '', token)]
          : []),
      ].join('\n');
      for (const match of named.matchAll(ALARM_ARN)) {
        if (match[1]!.includes(TOKEN_NAME)) continue;
        referencedAlarms.add(match[1]!);
        if (!alarms.has(`${template.region}|${match[1]}`)) {
          problems.push(`${where}: names alarm '${match[1]}', which no stack in ${template.region} creates`);
        }
      }
      for (const match of JSON.stringify(text).matchAll(/arn:aws:sns:[^:"]*:[^:"]*:([A-Za-z0-9_-]+)/g)) {
        if (!topics.has(`${template.region}|${match[1]}`)) {
          problems.push(`${where}: names topic '${match[1]}', which no stack in ${template.region} creates`);
        }
      }
    }
  }
  return problems;
};

/**
 * Loads each distinct Lambda asset's handler module in a child process, with the function's environment
 * (tokens as placeholders) and the SDK the Lambda runtime provides, and checks the handler export is a
 * function. Resolves to one line per function that does not load.
 */
export const handlersThatDoNotLoad = async (
  outdir: string,
  templates: readonly SynthesizedTemplate[],
): Promise<string[]> => {
  const seen = new Set<string>();
  const problems: string[] = [];
  const root = resolve(__dirname, '../..');
  for (const { template, id, props } of each(templates, 'AWS::Lambda::Function')) {
    const key = String((props.Code as { S3Key?: Json } | undefined)?.S3Key ?? '');
    const hash = key.replace(/\.zip$/, '');
    if (hash === '' || seen.has(hash)) continue;
    seen.add(hash);
    const dir = join(outdir, `asset.${hash}`);
    const [file, exported] = String(props.Handler).split('.');
    const path = join(dir, `${file}.js`);
    if (!existsSync(path)) {
      problems.push(`${template.stack} ${id}: no ${file}.js in ${dir}`);
      continue;
    }
    const variables = Object.fromEntries(
      Object.entries((props.Environment as { Variables?: Record<string, Json> })?.Variables ?? {}).map(
        ([name, value]) => [name, render(value)],
      ),
    );
    const script = `const m = require(${JSON.stringify(path)}); if (typeof m[${JSON.stringify(exported)}] !== 'function') { console.error('no function export ${exported}'); process.exit(3); }`;
    try {
      await promisify(execFile)(process.execPath, ['-e', script], {
        env: {
          PATH: process.env.PATH,
          ...variables,
          NODE_OPTIONS: '',
          NODE_PATH: join(root, 'node_modules'),
          AWS_REGION: template.region,
          AWS_DEFAULT_REGION: template.region,
          AWS_LAMBDA_FUNCTION_NAME: id,
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
          AWS_ACCESS_KEY_ID: 'placeholder',
          AWS_SECRET_ACCESS_KEY: 'placeholder',
        },
        timeout: 60_000,
      });
    } catch (error) {
      const failure = error as { stderr?: string; message: string };
      problems.push(
        `${template.stack} ${id} (${path}): ${(failure.stderr || failure.message).slice(0, 600)}`,
      );
    }
  }
  return problems;
};

/** Each state machine's definition as deployed (tokens as placeholder ARNs), by `stack id`. */
export const stateMachineDefinitions = (templates: readonly SynthesizedTemplate[]): Map<string, Json> =>
  new Map(
    [...each(templates, 'AWS::StepFunctions::StateMachine')].map(({ template, id, props }) => [
      `${template.stack} ${id}`,
      props.Definition ?? JSON.parse(render(props.DefinitionString)),
    ]),
  );

/** What asl-validator says of a definition: `[]` when valid, else its errors. */
export const aslErrors = (definition: Json): string[] => {
  const result = validateAsl(structuredClone(definition), { checkArn: true, checkPaths: true });
  return result.isValid ? [] : result.errorsText('\n').split('\n');
};
