import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { VigilConfig } from '../../functions/commons/config/schema';
import { EscalationEngine } from '../../stacks/constructs/escalation-engine';
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
  return { stacks, outdir, templates: templatesIn(outdir) };
};

/** The CloudFormation templates a synthesis wrote to `outdir`, as paths. */
export const templatesIn = (outdir: string): string[] =>
  readdirSync(outdir)
    .filter((file) => file.endsWith('.template.json'))
    .map((file) => join(outdir, file));

/** One {@link EscalationEngine} synthesized alone in its stack, with real esbuild bundling and cdk-nag. */
export interface SynthesizedEngine {
  readonly engine: EscalationEngine;
  readonly stack: Stack;
  readonly template: Template;
  readonly outdir: string;
}

/**
 * Synthesizes an {@link EscalationEngine} for `config` in stack `stackName` (eu-west-1) into a temp dir, with
 * cdk-nag (synth throws on an unacknowledged finding).
 */
export const synthEscalationEngine = (config: VigilConfig, stackName: string): SynthesizedEngine => {
  const outdir = mkdtempSync(join(tmpdir(), `vigil-${stackName}-`));
  const app = new App({ outdir });
  const stack = new Stack(app, stackName, { env: { account: '123456789012', region: 'eu-west-1' } });
  const engine = new EscalationEngine(stack, 'Engine', { config });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  return { engine, stack, template: Template.fromStack(stack), outdir };
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
