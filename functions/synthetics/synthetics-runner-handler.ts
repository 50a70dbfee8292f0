import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAwsSecretBackend } from '../commons/aws-secret-backend';
import { metrics } from '../commons/metrics/lambda-metrics';
import { logger, tracer } from '../commons/powertools';
import { createSecretResolver } from '../commons/secret-resolver';
import { createXRayTracing } from './adapters/xray-tracing';
import { createRunnerHandler } from './create-runner-handler';
import type { RunnerConfig } from './types/runner-config';

// Loaded once per container: the validated checks the CDK app shipped in the bundle.
const config = JSON.parse(readFileSync(join(__dirname, 'runner-config.json'), 'utf8')) as RunnerConfig;

/** Scheduled synthetics runner (EventBridge Scheduler -> `{ "schedule": "every-1m" }`). */
export const handler = createRunnerHandler({
  config,
  logger,
  metrics,
  tracing: createXRayTracing(tracer),
  secrets: createSecretResolver(
    config.secrets,
    createAwsSecretBackend((client) => tracer.captureAWSv3Client(client as never) as typeof client),
  ),
});
