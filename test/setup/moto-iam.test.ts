import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { type IamMoto, startIamMoto } from '../helpers/iam-moto';
import { clientConfig, MOTO_ACCOUNT, MOTO_REGION } from '../helpers/template-on-moto';

// The permission-parity tests rest on this server: it must deny what a policy does not grant, resource included.
let moto: IamMoto;
let ownArn: string;

beforeAll(async () => {
  moto = await startIamMoto();
  ownArn = await moto.unenforced(async () => {
    const secrets = new SecretsManagerClient(clientConfig(moto.endpoint));
    const own = await secrets.send(new CreateSecretCommand({ Name: 'iam/own', SecretString: 'mine' }));
    await secrets.send(new CreateSecretCommand({ Name: 'iam/other', SecretString: 'theirs' }));
    await new DynamoDBClient(clientConfig(moto.endpoint)).send(
      new CreateTableCommand({
        TableName: 'iam-table',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      }),
    );
    return own.ARN ?? '';
  });
}, 180_000);

afterAll(async () => {
  await moto?.stop();
});

const arn = (service: string, resource: string) =>
  `arn:aws:${service}:${MOTO_REGION}:${MOTO_ACCOUNT}:${resource}`;

describe('moto with IAM enforcement (moto-iam-server.py)', () => {
  it('allows a secret granted by its CDK name pattern (name-??????), by name and by ARN, and denies another', async () => {
    // Prepare
    const credentials = await moto.principal('iam-secrets', [
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: arn('secretsmanager', 'secret:iam/own-??????'),
      },
    ]);
    const secrets = new SecretsManagerClient(clientConfig(moto.endpoint, credentials));
    // Act
    const byName = await secrets.send(new GetSecretValueCommand({ SecretId: 'iam/own' }));
    const byArn = await secrets.send(new GetSecretValueCommand({ SecretId: ownArn }));
    const other = await secrets
      .send(new GetSecretValueCommand({ SecretId: 'iam/other' }))
      .catch((error: unknown) => error);
    // Assess
    expect([byName.SecretString, byArn.SecretString]).toEqual(['mine', 'mine']);
    expect(other).toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('is not authorized to perform: secretsmanager:GetSecretValue'),
    });
  });

  it('checks the action and the table of a DynamoDB call', async () => {
    // Prepare
    const credentials = await moto.principal('iam-dynamodb', [
      { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: [arn('dynamodb', 'table/iam-table')] },
    ]);
    const wrongTable = await moto.principal('iam-dynamodb-other', [
      { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: [arn('dynamodb', 'table/another')] },
    ]);
    const key = { pk: { S: 'k' } };
    const allowed = new DynamoDBClient(clientConfig(moto.endpoint, credentials));
    const otherTable = new DynamoDBClient(clientConfig(moto.endpoint, wrongTable));
    // Act
    const read = await allowed.send(new GetItemCommand({ TableName: 'iam-table', Key: key }));
    const write = await allowed
      .send(new PutItemCommand({ TableName: 'iam-table', Item: key }))
      .catch((error: unknown) => error);
    const elsewhere = await otherTable
      .send(new GetItemCommand({ TableName: 'iam-table', Key: key }))
      .catch((error: unknown) => error);
    // Assess
    expect(read.$metadata.httpStatusCode).toBe(200);
    expect(write).toMatchObject({ name: 'AccessDeniedException' });
    expect(elsewhere).toMatchObject({ name: 'AccessDeniedException' });
  });

  it('names CloudWatch actions by their IAM prefix (cloudwatch:, not the signing name monitoring:)', async () => {
    // Prepare
    const credentials = await moto.principal('iam-cloudwatch', [
      { Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: arn('cloudwatch', 'alarm:*') },
    ]);
    // Act
    const result = await new CloudWatchClient(clientConfig(moto.endpoint, credentials)).send(
      new DescribeAlarmsCommand({ AlarmNames: ['any'] }),
    );
    // Assess
    expect(result.MetricAlarms).toEqual([]);
  });

  it('refuses a request signed with keys moto never issued', async () => {
    // Prepare
    const secrets = new SecretsManagerClient(
      clientConfig(moto.endpoint, { accessKeyId: 'AKIAUNKNOWN0000000000', secretAccessKey: 'x' }),
    );
    // Act
    const refused = await secrets
      .send(new GetSecretValueCommand({ SecretId: 'iam/own' }))
      .catch((error: unknown) => error);
    // Assess
    expect(refused).toMatchObject({ name: 'InvalidClientTokenId' });
  });
});
