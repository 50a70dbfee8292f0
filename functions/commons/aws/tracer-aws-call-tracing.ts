import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { AwsCallSpan, TraceAwsCall } from '../aws-call-tracing';
import { AWS_THROTTLING_ERROR_CODES } from './errors';

const NOTHING: AwsCallSpan = { end: () => undefined };

/**
 * {@link TraceAwsCall} on the Powertools tracer: each call is an X-Ray subsegment shaped as
 * `tracer.captureAWSv3Client` makes it (named after the service, namespace `aws`, `aws: { operation, region,
 * request_id, retries, table_name … }`, the response's HTTP status, and the throttle / error / fault flags),
 * so a lean client's calls show in the service map as the SDK's did. Traces nothing when tracing is off or
 * there is no segment (outside an invocation).
 *
 * @example
 * const dynamo = createDynamoDbJsonClient({ trace: tracerAwsCallTracing(tracer) });
 */
export const tracerAwsCallTracing =
  (tracer: Pick<Tracer, 'isTracingEnabled' | 'getSegment'>): TraceAwsCall =>
  (call) => {
    if (!tracer.isTracingEnabled()) return NOTHING;
    const parent = tracer.getSegment();
    if (parent === undefined) return NOTHING;
    const subsegment = parent.notTraced
      ? parent.addNewSubsegmentWithoutSampling(call.service)
      : parent.addNewSubsegment(call.service);
    subsegment.addAttribute('namespace', 'aws');
    let ended = false;
    return {
      end: (outcome) => {
        if (ended) return;
        ended = true;
        subsegment.addAttribute('aws', {
          operation: call.operation,
          region: call.region,
          ...(outcome.requestId === undefined ? {} : { request_id: outcome.requestId }),
          retries: outcome.retries,
          ...call.resources,
        });
        const status = outcome.httpStatus;
        subsegment.addAttribute('http', status === undefined ? {} : { response: { status } });
        const code = (outcome.error as { code?: unknown } | undefined)?.code;
        if (status === 429 || (typeof code === 'string' && AWS_THROTTLING_ERROR_CODES.has(code)))
          subsegment.addThrottleFlag();
        if (status !== undefined && status >= 500) subsegment.addFaultFlag();
        else if (status !== undefined && status >= 400) subsegment.addErrorFlag();
        if (outcome.error === undefined) subsegment.close();
        else subsegment.close(outcome.error, true);
      },
    };
  };
