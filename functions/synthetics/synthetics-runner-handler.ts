import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDynamoDbJsonClient } from '../commons/aws/create-dynamodb-json-client';
import { traceAwsSdkClient } from '../commons/aws-sdk-call-tracing';
import { createAwsSecretBackend } from '../commons/aws-secret-backend';
import { requireEnv } from '../commons/env';
import { logger } from '../commons/logger';
import { metrics } from '../commons/metrics/lambda-metrics';
import { createSecretResolver } from '../commons/secret-resolver';
import { DynamoDbRunLease } from './adapters/dynamodb-run-lease';
import { createXrayDaemonTracing } from './adapters/xray-daemon-tracing';
import { createRunnerHandler } from './create-runner-handler';
import type { RunnerConfig } from './types/runner-config';

// Loaded once per container: the validated checks the CDK app shipped in the bundle.
const config = JSON.parse(readFileSync(join(__dirname, 'runner-config.json'), 'utf8')) as RunnerConfig;

// The table of shard leases (the runner construct sets it).
const leaseTable = requireEnv('RUN_LEASE_TABLE');

// X-Ray documents straight to the daemon: the invocation, its checks and its AWS calls (no X-Ray SDK).
const tracing = createXrayDaemonTracing();

/** Scheduled synthetics runner (EventBridge Scheduler -> `{ "schedule": "every-1m", "shard": 0 }`). */
export const handler = createRunnerHandler({
  config,
  logger,
  metrics,
  tracing,
  invocationTracing: tracing.captureLambdaHandler(),
  // The lease's two calls go through Vigil's lean DynamoDB client: no SDK client built at init.
  lease: new DynamoDbRunLease(createDynamoDbJsonClient({ trace: tracing.traceAwsCall }), leaseTable, Date),
  secrets: createSecretResolver(
    config.secrets,
    createAwsSecretBackend(traceAwsSdkClient(tracing.traceAwsCall)),
  ),
});
