import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDynamoDbJsonClient } from '../commons/aws/create-dynamodb-json-client';
import { tracerAwsCallTracing } from '../commons/aws/tracer-aws-call-tracing';
import { createAwsSecretBackend } from '../commons/aws-secret-backend';
import { requireEnv } from '../commons/env';
import { metrics } from '../commons/metrics/lambda-metrics';
import { logger, tracer } from '../commons/powertools';
import { createSecretResolver } from '../commons/secret-resolver';
import { DynamoDbRunLease } from './adapters/dynamodb-run-lease';
import { createXrayDaemonTracing } from './adapters/xray-daemon-tracing';
import { createRunnerHandler } from './create-runner-handler';
import type { RunnerConfig } from './types/runner-config';

// Loaded once per container: the validated checks the CDK app shipped in the bundle.
const config = JSON.parse(readFileSync(join(__dirname, 'runner-config.json'), 'utf8')) as RunnerConfig;

// The table of shard leases (the runner construct sets it).
const leaseTable = requireEnv('RUN_LEASE_TABLE');

/** Scheduled synthetics runner (EventBridge Scheduler -> `{ "schedule": "every-1m", "shard": 0 }`). */
export const handler = createRunnerHandler({
  config,
  logger,
  metrics,
  tracing: createXrayDaemonTracing(),
  lease: new DynamoDbRunLease(
    createDynamoDbJsonClient({ trace: tracerAwsCallTracing(tracer) }),
    leaseTable,
    Date,
  ),
  secrets: createSecretResolver(
    config.secrets,
    createAwsSecretBackend((client) => tracer.captureAWSv3Client(client as never) as typeof client),
  ),
});
