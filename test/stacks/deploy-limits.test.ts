import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import { Chain, DefinitionBody, Pass, Result, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { assertDeployLimits, DeployLimitExceededError, definitionBytes } from '../../stacks/deploy-limits';

const newApp = () => new App({ outdir: mkdtempSync(join(tmpdir(), 'vigil-limits-')) });

describe('the deploy-limits guard', () => {
  it('fails synth naming the stack when it declares more than 500 resources (CDK checks it first)', () => {
    // Prepare
    const app = newApp();
    const stack = new Stack(app, 'crowded');
    for (let i = 0; i < 501; i++) new CfnWaitConditionHandle(stack, `H${i}`);
    new CfnWaitConditionHandle(new Stack(app, 'roomy'), 'H');
    // Act
    const act = () => assertDeployLimits(app.synth());
    // Assess: CDK's own validation stops synthesis before the guard would
    expect(act).toThrow(/stack 'crowded': 501 is greater than allowed maximum of 500/);
  });

  it('fails synth naming the state machine whose definition, and the template holding it, pass 1 MB', () => {
    // Prepare: 12 Pass states of 90 KB each
    const app = newApp();
    const stack = new Stack(app, 'escalation');
    const states = Array.from(
      { length: 12 },
      (_, i) => new Pass(stack, `P${i}`, { result: Result.fromString('x'.repeat(90_000)) }),
    );
    const [first, ...rest] = states;
    const chain = rest.reduce((previous, state) => previous.next(state), Chain.start(first!));
    new StateMachine(stack, 'Machine', { definitionBody: DefinitionBody.fromChainable(chain) });
    // Act
    let error: unknown;
    try {
      assertDeployLimits(app.synth());
    } catch (caught) {
      error = caught;
    }
    // Assess
    expect(error).toBeInstanceOf(DeployLimitExceededError);
    const violations = (error as DeployLimitExceededError).violations;
    expect(violations.map((v) => [v.stack, v.resource])).toEqual([
      ['escalation', undefined],
      ['escalation', expect.stringMatching(/^Machine/)],
    ]);
    expect(violations[0]?.message).toMatch(
      /^template is 1,0\d\d,\d{3} bytes; CloudFormation accepts at most 1,000,000$/,
    );
    expect(violations[1]?.message).toMatch(
      /^state machine definition is 1,0\d\d,\d{3} bytes; Step Functions accepts at most 1,000,000$/,
    );
  });

  it('counts a definition with tokens as text plus an ARN per token', () => {
    // Act
    const bytes = definitionBytes({ DefinitionString: { 'Fn::Join': ['', ['{"a":"', { Ref: 'X' }, '"}']] } });
    // Assess
    expect(bytes).toBe('{"a":"'.length + 128 + '"}'.length);
  });
});
