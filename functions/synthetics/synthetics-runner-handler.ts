import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAwsSecretBackend } from '../commons/aws-secret-backend';
import type { LambdaContext } from '../commons/lambda-context';
import { logger, metrics, tracer } from '../commons/powertools';
import { createSecretResolver } from '../commons/secret-resolver';
import { publishCheckMetrics } from './adapters/emf-publisher';
import { createXRayTracing } from './adapters/xray-tracing';
import { runScheduledChecks, type ScheduledRunSummary } from './run-scheduled-checks';
import { parseRunnerEvent } from './runner-event';
import type { RunnerConfig } from './types/runner-config';

// Loaded once per container: the validated checks shipped in the bundle by the CDK app.
const config = JSON.parse(readFileSync(join(__dirname, 'runner-config.json'), 'utf8')) as RunnerConfig;
const schedules = new Set(config.checks.map((check) => check.schedule.key));
const checkNames = new Set(config.checks.map((check) => check.name));
const secrets = createSecretResolver(
  config.secrets,
  createAwsSecretBackend((client) => tracer.captureAWSv3Client(client as never) as typeof client),
);
const tracing = createXRayTracing(tracer);
/** Time kept back to publish and return before Lambda's own timeout. */
const SAFETY_MS = 5_000;

/**
 * Scheduled synthetics runner: runs one schedule group's checks, publishes EMF metrics per check,
 * one X-Ray subsegment per check and step, and a JSON log line per result.
 */
export const handler = async (event: unknown, context: LambdaContext): Promise<ScheduledRunSummary> => {
  logger.addContext(context as never);
  metrics.captureColdStartMetric(context.functionName);
  const runnerEvent = parseRunnerEvent(event, schedules, checkNames);
  const controller = new AbortController();
  const deadline = setTimeout(
    () => controller.abort(),
    Math.max(0, context.getRemainingTimeInMillis() - SAFETY_MS),
  );
  try {
    const summary = await runScheduledChecks(config, runnerEvent, {
      secrets,
      tracing,
      signal: controller.signal,
      publish: (result) => {
        publishCheckMetrics(metrics, result, config.metrics);
        const log = result.status === 'failed' ? logger.warn.bind(logger) : logger.info.bind(logger);
        log(`check ${result.name} ${result.status}`, { check: result });
      },
    });
    logger.info('run complete', { summary });
    return summary;
  } finally {
    clearTimeout(deadline);
  }
};
