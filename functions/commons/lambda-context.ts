/** The part of the Lambda context Vigil's handlers use (avoids a dependency on @types/aws-lambda). */
export interface LambdaContext {
  readonly awsRequestId: string;
  readonly functionName: string;
  getRemainingTimeInMillis(): number;
}
