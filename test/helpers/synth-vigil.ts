import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { VigilConfig } from '../../functions/commons/config/schema';
import { assertDeployLimits } from '../../stacks/deploy-limits';
import { createVigilStacks, type VigilStacks, type VigilStacksOptions } from '../../stacks/vigil-stacks';

/** A synthesized Vigil app, checked by cdk-nag (synth throws on any unacknowledged error). */
export interface SynthesizedVigil {
  readonly stacks: VigilStacks;
  readonly outdir: string;
  readonly templates: readonly string[];
}

/** Builds the app exactly as bin/app.ts does (cdk-nag and the deploy-limits guard included) into a temp dir and synthesizes it. */
export const synthVigil = (config: VigilConfig, options: VigilStacksOptions = {}): SynthesizedVigil => {
  const outdir = mkdtempSync(join(tmpdir(), 'vigil-synth-'));
  const app = new App({ outdir, context: { '@aws-cdk/core:validationReportJson': true } });
  const stacks = createVigilStacks(app, config, options);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  assertDeployLimits(app.synth());
  const templates = readdirSync(outdir)
    .filter((file) => file.endsWith('.template.json'))
    .map((file) => join(outdir, file));
  return { stacks, outdir, templates };
};

/** Runs the pinned cfn-lint from .venv on templates; resolves to its exit code and output. */
export const cfnLint = async (templates: readonly string[]): Promise<{ code: number; output: string }> => {
  const binary = resolve(__dirname, '../../.venv/bin/cfn-lint');
  try {
    const configFile = resolve(__dirname, '../../.cfnlintrc.yaml');
    const { stdout, stderr } = await promisify(execFile)(binary, [
      '--config-file',
      configFile,
      '--format',
      'parseable',
      '--',
      ...templates,
    ]);
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
};
