import { CfnOutput, type RemovalPolicy } from 'aws-cdk-lib';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { vigilTableProps } from '../vigil-table-props';

/** Props of {@link OnCallTable}. */
export interface OnCallTableProps {
  /** What happens to the overrides and their audit trail when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The DynamoDB table of run-time on-call overrides and their audit trail, written by
 * `vigil oncall override --aws --table NAME` and read with the config when someone is paged. Item layout:
 * `functions/oncall/adapters/dynamodb-override-store.ts` (`pk`/`sk` strings, TTL on `expiresAt`).
 *
 * @example
 * const oncall = new OnCallTable(this, 'OnCall');
 * oncall.table.grantReadData(notifyFunction);
 */
export class OnCallTable extends Construct {
  public readonly table: Table;

  public constructor(scope: Construct, id: string, props: OnCallTableProps = {}) {
    super(scope, id);
    this.table = new Table(this, 'Overrides', vigilTableProps(props.removalPolicy));
    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'On-call overrides table: vigil oncall override --aws --table <this>',
    });
  }
}
