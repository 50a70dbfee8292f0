import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import type { PolicyStatementJson } from './iam-moto';

/** The parts of a synthesized CloudFormation template these helpers read. */
export interface TemplateJson {
  readonly Resources: Readonly<
    Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>
  >;
}

/** What `Ref` and `Fn::GetAtt` of each resource resolve to once "deployed" on moto. */
export interface DeployedResources {
  readonly ref: Readonly<Record<string, string>>;
  readonly attributes: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The account, region and partition moto answers for. */
export const MOTO_ACCOUNT = '123456789012';
export const MOTO_REGION = 'us-east-1';

const PSEUDO: Readonly<Record<string, string>> = {
  'AWS::Partition': 'aws',
  'AWS::Region': MOTO_REGION,
  'AWS::AccountId': MOTO_ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'parity',
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Resolves `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Select` and `Fn::Split` against the deployed resources and the
 * pseudo parameters; throws on anything else, naming it, so a template the helper cannot read fails loudly.
 */
export const resolveIntrinsics = (value: unknown, deployed: DeployedResources): unknown => {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, deployed));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only === 'Ref') {
    const name = String(value.Ref);
    const resolved = PSEUDO[name] ?? deployed.ref[name];
    if (resolved === undefined) throw new Error(`cannot resolve { Ref: ${name} }`);
    return resolved;
  }
  if (only === 'Fn::GetAtt') {
    const [id, attribute] = value['Fn::GetAtt'] as [string, string];
    const resolved = deployed.attributes[id]?.[attribute];
    if (resolved === undefined) throw new Error(`cannot resolve { Fn::GetAtt: [${id}, ${attribute}] }`);
    return resolved;
  }
  if (only === 'Fn::Join') {
    const [separator, parts] = value['Fn::Join'] as [string, unknown[]];
    return (resolveIntrinsics(parts, deployed) as unknown[]).join(separator);
  }
  if (only === 'Fn::Select') {
    const [index, list] = value['Fn::Select'] as [number, unknown];
    return (resolveIntrinsics(list, deployed) as unknown[])[Number(index)];
  }
  if (only === 'Fn::Split') {
    const [separator, text] = value['Fn::Split'] as [string, unknown];
    return String(resolveIntrinsics(text, deployed)).split(separator);
  }
  if (only?.startsWith('Fn::')) throw new Error(`cannot resolve ${only}`);
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, resolveIntrinsics(item, deployed)]),
  );
};

const resource = (template: TemplateJson, id: string) => {
  const found = template.Resources[id];
  if (found === undefined) throw new Error(`no resource ${id} in the template`);
  return found;
};

/**
 * Every statement the function's execution role holds through the template (its inline policies and every
 * `AWS::IAM::Policy` attached to it), resolved against the deployed resources. The AWS managed basic execution
 * role (log writing) is left out: the functions never call CloudWatch Logs themselves.
 */
export const roleStatements = (
  template: TemplateJson,
  functionId: string,
  deployed: DeployedResources,
): PolicyStatementJson[] => {
  const roleRef = resource(template, functionId).Properties?.Role as
    | { 'Fn::GetAtt': [string, string] }
    | undefined;
  const role = roleRef?.['Fn::GetAtt'][0];
  if (role === undefined) throw new Error(`${functionId} has no role of its template`);
  const documents: unknown[] = [
    ...(
      (resource(template, role).Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []
    ).map((policy) => policy.PolicyDocument),
    ...Object.values(template.Resources)
      .filter(
        (candidate) =>
          candidate.Type === 'AWS::IAM::Policy' &&
          ((candidate.Properties?.Roles as unknown[] | undefined) ?? []).some(
            (entry) => isObject(entry) && entry.Ref === role,
          ),
      )
      .map((policy) => policy.Properties?.PolicyDocument),
  ];
  return documents.flatMap(
    (document) =>
      resolveIntrinsics((document as { Statement: unknown[] }).Statement, deployed) as PolicyStatementJson[],
  );
};

/** The function's environment variables, resolved against the deployed resources. */
export const functionEnvironment = (
  template: TemplateJson,
  functionId: string,
  deployed: DeployedResources,
): Record<string, string> => {
  const variables = (
    resource(template, functionId).Properties?.Environment as { Variables?: unknown } | undefined
  )?.Variables;
  return Object.fromEntries(
    Object.entries((resolveIntrinsics(variables ?? {}, deployed) as Record<string, unknown>) ?? {}).map(
      ([name, value]) => [name, String(value)],
    ),
  );
};

/** SDK client settings for a moto endpoint and credentials. */
export const clientConfig = (
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string } = {
    accessKeyId: 'setup',
    secretAccessKey: 'setup',
  },
) => ({ endpoint, region: MOTO_REGION, credentials, forcePathStyle: true });

/**
 * "Deploys" the resources of a template that Vigil's functions touch at run time onto moto, named after their
 * logical ids: DynamoDB tables (with the template's keys), Secrets Manager secrets (value from `secretValues`
 * by logical id, else a random one), SNS topics, state machines and S3 buckets. Every other resource resolves
 * to a placeholder ARN no statement about a real resource can match. Run with IAM enforcement off.
 */
export const deployOnMoto = async (
  template: TemplateJson,
  endpoint: string,
  secretValues: Readonly<Record<string, string>> = {},
): Promise<DeployedResources> => {
  const config = clientConfig(endpoint);
  const ref: Record<string, string> = {};
  const attributes: Record<string, Record<string, string>> = {};
  const arn = (service: string, name: string) => `arn:aws:${service}:${MOTO_REGION}:${MOTO_ACCOUNT}:${name}`;
  for (const [id, { Type, Properties = {} }] of Object.entries(template.Resources)) {
    if (Type === 'AWS::DynamoDB::Table') {
      await new DynamoDBClient(config).send(
        new CreateTableCommand({
          TableName: id,
          KeySchema: Properties.KeySchema as never,
          AttributeDefinitions: Properties.AttributeDefinitions as never,
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      ref[id] = id;
      attributes[id] = { Arn: arn('dynamodb', `table/${id}`) };
    } else if (Type === 'AWS::SecretsManager::Secret') {
      const created = await new SecretsManagerClient(config).send(
        new CreateSecretCommand({
          Name: (Properties.Name as string | undefined) ?? id,
          SecretString: secretValues[id] ?? `parity-${id}-${Math.random().toString(36).slice(2)}`,
        }),
      );
      ref[id] = created.ARN ?? '';
    } else if (Type === 'AWS::SNS::Topic') {
      const created = await new SNSClient(config).send(new CreateTopicCommand({ Name: id }));
      ref[id] = created.TopicArn ?? '';
      attributes[id] = { TopicArn: ref[id], TopicName: id };
    } else if (Type === 'AWS::StepFunctions::StateMachine') {
      const created = await new SFNClient(config).send(
        new CreateStateMachineCommand({
          name: id,
          roleArn: arn('iam', 'role/parity').replace(`:${MOTO_REGION}:`, '::'),
          definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
        }),
      );
      ref[id] = created.stateMachineArn ?? '';
      attributes[id] = { Arn: ref[id], Name: id };
    } else if (Type === 'AWS::S3::Bucket') {
      const name = id.toLowerCase();
      await new S3Client(config).send(new CreateBucketCommand({ Bucket: name }));
      ref[id] = name;
      attributes[id] = { Arn: `arn:aws:s3:::${name}` };
    } else if (Type === 'AWS::Lambda::Url') {
      attributes[id] = { FunctionUrl: `https://${id.toLowerCase()}.lambda-url.${MOTO_REGION}.on.aws/` };
    } else {
      const placeholder = arn('placeholder', id);
      ref[id] = placeholder;
      attributes[id] = new Proxy({} as Record<string, string>, { get: () => placeholder });
    }
  }
  return { ref, attributes };
};
