import { statSync } from 'node:fs';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AWS_LIMITS } from '../functions/commons/aws-limits';

/** One synthesized artifact over a limit the deploy would hit. */
export interface DeployLimitViolation {
  /** The stack, e.g. `shop-escalation`. */
  readonly stack: string;
  /** The resource's logical id, for limits of one resource. */
  readonly resource?: string;
  /** What is over, with the figure and the limit. */
  readonly message: string;
}

/** A synthesized app that CloudFormation or a service would reject: every violation, named. */
export class DeployLimitExceededError extends Error {
  public readonly violations: readonly DeployLimitViolation[];

  public constructor(violations: readonly DeployLimitViolation[]) {
    super(
      `the synthesized app would fail to deploy (${violations.length} limit${violations.length === 1 ? '' : 's'} exceeded):\n${violations
        .map((v) => `  ${v.stack}${v.resource !== undefined ? ` ${v.resource}` : ''}: ${v.message}`)
        .join('\n')}\nsee docs/limits.md`,
    );
    this.name = 'DeployLimitExceededError';
    this.violations = violations;
  }
}

/** Length a token (`Ref`, `Fn::GetAtt` …) of a state machine definition is assumed to resolve to (an ARN). */
const TOKEN_CHARS = 128;

/**
 * The size in bytes of a state machine definition as deployed: `DefinitionString` text, or an `Fn::Join`
 * whose tokens are counted as {@link TOKEN_CHARS} characters each, or a `Definition` object as JSON.
 */
export const definitionBytes = (properties: Record<string, unknown>): number => {
  const definition = properties.DefinitionString ?? properties.Definition;
  if (typeof definition === 'string') return Buffer.byteLength(definition);
  const join = (definition as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (join !== undefined) {
    return join[1].reduce<number>(
      (sum, part) => sum + (typeof part === 'string' ? Buffer.byteLength(part) : TOKEN_CHARS),
      Buffer.byteLength(join[0]) * Math.max(0, join[1].length - 1),
    );
  }
  return Buffer.byteLength(JSON.stringify(definition ?? ''));
};

type Template = { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };

/**
 * Every limit the synthesized templates pass that CloudFormation or a service checks only at deploy:
 * template bytes (1 MB through S3), resources per stack (500), state machine definition bytes.
 *
 * @example
 * const violations = deployLimitViolations(app.synth());
 */
export const deployLimitViolations = (assembly: CloudAssembly): DeployLimitViolation[] => {
  const violations: DeployLimitViolation[] = [];
  for (const stack of assembly.stacks) {
    const bytes = statSync(stack.templateFullPath).size;
    if (bytes > AWS_LIMITS.templateBytes) {
      violations.push({
        stack: stack.stackName,
        message: `template is ${bytes.toLocaleString('en-US')} bytes; CloudFormation accepts at most ${AWS_LIMITS.templateBytes.toLocaleString('en-US')}`,
      });
    }
    const resources = Object.entries((stack.template as Template).Resources ?? {});
    if (resources.length > AWS_LIMITS.stackResources) {
      violations.push({
        stack: stack.stackName,
        message: `declares ${resources.length} resources; CloudFormation allows ${AWS_LIMITS.stackResources} per stack`,
      });
    }
    for (const [id, resource] of resources) {
      if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
      const size = definitionBytes(resource.Properties ?? {});
      if (size > AWS_LIMITS.stateMachineDefinitionBytes) {
        violations.push({
          stack: stack.stackName,
          resource: id,
          message: `state machine definition is ${size.toLocaleString('en-US')} bytes; Step Functions accepts at most ${AWS_LIMITS.stateMachineDefinitionBytes.toLocaleString('en-US')}`,
        });
      }
    }
  }
  return violations;
};

/**
 * The post-synth guard: fails with every violation named, instead of leaving it to the deploy. Run by
 * bin/app.ts after `app.synth()` (and by the tests' and bench's synth helpers).
 *
 * @throws {DeployLimitExceededError} when any template, stack or state machine is over its limit
 * @example
 * assertDeployLimits(app.synth());
 */
export const assertDeployLimits = (assembly: CloudAssembly): void => {
  const violations = deployLimitViolations(assembly);
  if (violations.length > 0) throw new DeployLimitExceededError(violations);
};
