import type { Template } from 'aws-cdk-lib/assertions';

/** One resource of a synthesized template. */
interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
}

const resourcesOf = (template: Template): Record<string, TemplateResource> =>
  (template.toJSON() as { Resources?: Record<string, TemplateResource> }).Resources ?? {};

/** A logical id without the 8-hex-digit hash CDK appends (`RunnerFunction51B573FD` → `RunnerFunction`). */
export const logicalName = (logicalId: string): string => logicalId.replace(/[0-9A-F]{8}$/, '');

/**
 * A CloudFormation value written out for reading: `{ Ref: X }` as `{X}`, `Fn::GetAtt` as `{X.Attr}`, pseudo
 * parameters as `{AWS::Partition}`, `Fn::Join` concatenated, logical-id hashes dropped.
 *
 * @example
 * readable({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns']] }); // 'arn:{AWS::Partition}:sns'
 */
export const readable = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(readable);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if (typeof object.Ref === 'string') {
    return `{${object.Ref.startsWith('AWS::') ? object.Ref : logicalName(object.Ref)}}`;
  }
  const getAtt = object['Fn::GetAtt'] as [string, string] | undefined;
  if (getAtt) return `{${logicalName(getAtt[0])}.${getAtt[1]}}`;
  const join = object['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map((part) => String(readable(part))).join(join[0]);
  return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, readable(inner)]));
};

/** How many resources of each type a template holds, e.g. `{ 'AWS::Lambda::Function': 2 }`. */
export const resourceCounts = (template: Template): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const resource of Object.values(resourcesOf(template)))
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
};

/** The resources of one type, by logical name (hash dropped), with readable properties. */
export const resourcesOfType = (
  template: Template,
  type: string,
): Record<string, Record<string, unknown> & { DeletionPolicy?: string }> =>
  Object.fromEntries(
    Object.entries(resourcesOf(template))
      .filter(([, resource]) => resource.Type === type)
      .map(([id, resource]) => [
        logicalName(id),
        {
          ...(readable(resource.Properties ?? {}) as Record<string, unknown>),
          ...(resource.DeletionPolicy ? { DeletionPolicy: resource.DeletionPolicy } : {}),
        },
      ]),
  );

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/**
 * Every IAM policy statement of the template, by the role it is attached to (logical name), each as one
 * line: `Allow sns:Publish on {EscalationChanneloncallsms}` (actions sorted, resources readable).
 */
export const iamGrants = (template: Template): Record<string, string[]> => {
  const grants: Record<string, string[]> = {};
  for (const policy of Object.values(resourcesOf(template)).filter(
    (resource) => resource.Type === 'AWS::IAM::Policy',
  )) {
    const properties = policy.Properties as {
      PolicyDocument: { Statement: Statement[] };
      Roles: { Ref: string }[];
    };
    const lines = properties.PolicyDocument.Statement.map((statement) => {
      const actions = [statement.Action].flat().sort().join(' ');
      const resources = [readable(statement.Resource)].flat().map(String).join(' ');
      return `${statement.Effect} ${actions} on ${resources}`;
    });
    for (const role of properties.Roles) {
      const name = logicalName(role.Ref);
      grants[name] = [...(grants[name] ?? []), ...lines];
    }
  }
  return grants;
};

/** The facts of an alarm that decide when it fires and who it reaches. */
export interface AlarmFacts {
  /** `Namespace/MetricName`, `math` for a metric-math alarm, or `composite: <rule>`. */
  readonly on: string;
  readonly when?: string;
  readonly missing?: string;
  readonly actions: number;
  readonly tags: Readonly<Record<string, string>>;
}

/** Every alarm and composite alarm of the template, by alarm name. */
export const alarmFacts = (template: Template): Record<string, AlarmFacts> => {
  const facts: Record<string, AlarmFacts> = {};
  for (const resource of Object.values(resourcesOf(template))) {
    if (resource.Type !== 'AWS::CloudWatch::Alarm' && resource.Type !== 'AWS::CloudWatch::CompositeAlarm')
      continue;
    const p = resource.Properties as Record<string, unknown>;
    const on =
      resource.Type === 'AWS::CloudWatch::CompositeAlarm'
        ? `composite: ${String(readable(p.AlarmRule))}`
        : p.MetricName !== undefined
          ? `${String(p.Namespace)}/${String(p.MetricName)}`
          : 'math';
    const threshold = p.Threshold === undefined ? '' : ` ${String(p.Threshold)}`;
    facts[String(p.AlarmName)] = {
      on,
      ...(p.ComparisonOperator !== undefined
        ? {
            when: `${String(p.ComparisonOperator)}${threshold} for ${String(p.DatapointsToAlarm ?? p.EvaluationPeriods)}/${String(p.EvaluationPeriods)}`,
          }
        : {}),
      ...(p.TreatMissingData !== undefined ? { missing: String(p.TreatMissingData) } : {}),
      actions: [p.AlarmActions ?? [], p.OKActions ?? [], p.InsufficientDataActions ?? []].flat().length,
      tags: Object.fromEntries(
        ((p.Tags as { Key: string; Value: string }[] | undefined) ?? []).map((tag) => [tag.Key, tag.Value]),
      ),
    };
  }
  return facts;
};
