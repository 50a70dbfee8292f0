import type { VigilConfig } from '../../../functions/commons/config/schema';
import {
  resolveBundledConfig,
  withRuntimeContext,
} from '../../../functions/escalation/core/resolve-runtime-config';
import type { EscalationRuntimeConfig } from '../../../functions/escalation/types/runtime-config';
import {
  LOCAL_AWS_ENV,
  type RenderedEscalationDefinition,
  renderEscalationDefinition,
} from '../../../stacks/constructs/escalation/render-escalation-definition';

/** What a local escalation run executes: the deployed state machine's definition and the Lambdas' config. */
export interface LocalEscalationDefinition extends RenderedEscalationDefinition {
  /**
   * The runtime config the deployed Lambdas would load (their bundled config joined with the deploy-time
   * values), with local stand-ins for those values (ack URL, topic ARNs).
   */
  readonly runtimeConfig: EscalationRuntimeConfig;
}

/** The base URL of ack links in local runs (a local ack server passes its own). */
export const LOCAL_ACK_URL = 'http://127.0.0.1/vigil/ack';

/** The local stand-in for an email or SMS channel's SNS topic. */
const localTopicArn = (channel: string): string =>
  `arn:aws:sns:${LOCAL_AWS_ENV.region}:${LOCAL_AWS_ENV.account}:vigil-local-${channel}`;

/**
 * The escalation of `config` as a local run executes it: the state machine's definition built alone by the
 * CDK ({@link renderEscalationDefinition}: the same chain `cdk deploy` ships, no stack synthesized), and the
 * runtime config resolved exactly as the {@link EscalationEngine} bundles it for its Lambdas.
 * `options.ackUrl`: the base of ack links (a local ack server's URL). @default {@link LOCAL_ACK_URL}
 */
export const localEscalationDefinition = (
  config: VigilConfig,
  options: { readonly ackUrl?: string } = {},
): LocalEscalationDefinition => {
  const topicArns = Object.fromEntries(
    Object.entries(config.channels)
      .filter(([, channel]) => channel.type === 'email' || channel.type === 'sms')
      .map(([name]) => [name, localTopicArn(name)]),
  );
  return {
    ...renderEscalationDefinition(),
    runtimeConfig: withRuntimeContext(resolveBundledConfig(config), {
      ackUrl: options.ackUrl ?? LOCAL_ACK_URL,
      topicArns,
      region: LOCAL_AWS_ENV.region,
    }),
  };
};
