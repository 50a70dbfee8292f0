import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OnCallTable } from '../../../../stacks/constructs/oncall/oncall-table';

const synth = (removalPolicy?: RemovalPolicy) => {
  const stack = new Stack(new App(), 'OnCall', { env: { account: '123456789012', region: 'eu-west-1' } });
  new OnCallTable(stack, 'OnCall', removalPolicy !== undefined ? { removalPolicy } : {});
  return Template.fromStack(stack);
};

describe('OnCallTable', () => {
  it('creates the overrides table with the keys, TTL and recovery the store relies on, kept on delete', () => {
    // Act
    const template = synth();
    // Assess
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    });
    expect(Object.keys(template.findOutputs('*')).some((name) => name.startsWith('OnCallTableName'))).toBe(
      true,
    );
  });

  it('can be destroyed with the stack when asked', () => {
    // Act
    const template = synth(RemovalPolicy.DESTROY);
    // Assess
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });
});
