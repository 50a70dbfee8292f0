import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, TableEncryption, type TableProps } from 'aws-cdk-lib/aws-dynamodb';

/**
 * The props every Vigil DynamoDB table shares (incidents, on-call overrides): string `pk`/`sk` keys, on-demand
 * billing, AWS-managed encryption, point-in-time recovery, TTL on `expiresAt`, retained on stack deletion
 * unless `removalPolicy` says otherwise. The test helper `test/helpers/moto-tables.ts` creates the same keys.
 *
 * @example
 * const table = new Table(this, 'Incidents', vigilTableProps(props.tableRemovalPolicy));
 */
export const vigilTableProps = (removalPolicy: RemovalPolicy = RemovalPolicy.RETAIN): TableProps => ({
  partitionKey: { name: 'pk', type: AttributeType.STRING },
  sortKey: { name: 'sk', type: AttributeType.STRING },
  billingMode: BillingMode.PAY_PER_REQUEST,
  encryption: TableEncryption.AWS_MANAGED,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  timeToLiveAttribute: 'expiresAt',
  removalPolicy,
});
