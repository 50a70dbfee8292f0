import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { VigilConfig } from '../../../functions/commons/config/schema';
import {
  createObservabilityStacks,
  type ObservabilityContext,
  type ObservabilityStacks,
} from '../../../stacks/observability-stacks';

/** The observability stacks of a config, synthesized with cdk-nag (synth throws on any unacknowledged error). */
export interface SynthesizedObservability {
  readonly stacks: ObservabilityStacks;
  readonly templates: readonly string[];
}

/** Builds only the observability stacks, as createVigilStacks would, checks them with cdk-nag and synthesizes. */
export const synthObservability = (
  config: VigilConfig,
  ctx: ObservabilityContext = { primaryRegion: 'us-east-1' },
): SynthesizedObservability => {
  const outdir = mkdtempSync(join(tmpdir(), 'vigil-observability-'));
  const app = new App({ outdir, context: { '@aws-cdk/core:validationReportJson': true } });
  const stacks = createObservabilityStacks(app, config, ctx);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  const templates = readdirSync(outdir)
    .filter((file) => file.endsWith('.template.json'))
    .map((file) => join(outdir, file));
  return { stacks, templates };
};
