import { Segment } from 'aws-xray-sdk-core';
import { DynamoDbRequestError } from '../../../../functions/commons/aws/errors';
import { tracerAwsCallTracing } from '../../../../functions/commons/aws/tracer-aws-call-tracing';

// The port on the Powertools tracer, with a real X-Ray SDK segment as the current one: the subsegment it
// makes is read back as X-Ray would receive it.

const CALL = {
  service: 'DynamoDB',
  operation: 'PutItem',
  region: 'us-east-1',
  resources: { table_name: 'leases' },
} as const;

const tracerOn = (segment: Segment) => ({ isTracingEnabled: () => true, getSegment: () => segment });

/** The segment's subsegments as X-Ray documents. */
const subsegmentsOf = (segment: Segment): Record<string, unknown>[] =>
  (JSON.parse(JSON.stringify(segment)) as { subsegments?: Record<string, unknown>[] }).subsegments ?? [];

describe('tracerAwsCallTracing', () => {
  it('records a call as the aws subsegment captureAWSv3Client makes: service name, operation, region, request id, retries, table', () => {
    // Prepare
    const segment = new Segment('vigil-runner');
    const trace = tracerAwsCallTracing(tracerOn(segment));
    // Act
    trace(CALL).end({ httpStatus: 200, requestId: 'req-1', retries: 1 });
    // Assess
    const [subsegment] = subsegmentsOf(segment);
    expect(subsegment).toMatchObject({
      name: 'DynamoDB',
      namespace: 'aws',
      aws: {
        operation: 'PutItem',
        region: 'us-east-1',
        request_id: 'req-1',
        retries: 1,
        table_name: 'leases',
      },
      http: { response: { status: 200 } },
    });
    expect(subsegment).not.toHaveProperty('error');
    expect(subsegment).not.toHaveProperty('fault');
    expect(subsegment).not.toHaveProperty('in_progress');
  });

  it('flags a throttled call and records its error', () => {
    // Prepare
    const segment = new Segment('vigil-runner');
    const error = new DynamoDbRequestError({
      operation: 'PutItem',
      code: 'ProvisionedThroughputExceededException',
      detail: 'slow down',
      status: 400,
      retries: 2,
    });
    // Act
    tracerAwsCallTracing(tracerOn(segment))(CALL).end({ httpStatus: 400, retries: 2, error });
    // Assess
    const [subsegment] = subsegmentsOf(segment);
    expect(subsegment).toMatchObject({
      throttle: true,
      error: true,
      http: { response: { status: 400 } },
      cause: { exceptions: [expect.objectContaining({ type: 'DynamoDbRequestError', remote: true })] },
    });
  });

  it('makes one subsegment per call, ignoring a second end', () => {
    // Prepare
    const segment = new Segment('vigil-runner');
    const span = tracerAwsCallTracing(tracerOn(segment))(CALL);
    // Act
    span.end({ httpStatus: 200, retries: 0 });
    span.end({ httpStatus: 500, retries: 0 });
    // Assess
    expect(subsegmentsOf(segment)).toEqual([
      expect.objectContaining({ http: { response: { status: 200 } } }),
    ]);
  });

  it('traces nothing when tracing is off', () => {
    // Prepare
    const segment = new Segment('vigil-runner');
    const trace = tracerAwsCallTracing({ isTracingEnabled: () => false, getSegment: () => segment });
    // Act
    trace(CALL).end({ httpStatus: 200, retries: 0 });
    // Assess
    expect(subsegmentsOf(segment)).toEqual([]);
  });
});
