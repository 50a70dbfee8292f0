import type { PagingConfig } from '../../../functions/commons/config/paging-schema';

/** Where the ARNs are built: partition, region and account (tokens in a stack). */
export interface ArnScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * The resource an SMS and Voice v2 origination identity names, for `sms-voice:SendTextMessage` /
 * `SendVoiceMessage`: an ARN as given; a phone number id (`phone-…`) or pool id (`pool-…`) as its ARN; a
 * sender id (registered per country) as `sender-id/<id>/*`. An E.164 number cannot be named in a policy
 * (its ARN carries the phone number id), so it is granted on every phone number of the account and region.
 */
export const originationIdentityArn = (identity: string, at: ArnScope): string => {
  if (identity.startsWith('arn:')) return identity;
  const base = `arn:${at.partition}:sms-voice:${at.region}:${at.account}`;
  if (identity.startsWith('phone-')) return `${base}:phone-number/${identity}`;
  if (identity.startsWith('pool-')) return `${base}:pool/${identity}`;
  if (identity.startsWith('+')) return `${base}:phone-number/*`;
  return `${base}:sender-id/${identity}/*`;
};

/** One IAM statement's actions and resources. */
export interface GrantStatement {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

/**
 * What the notify function may do to page people directly, from the `paging` config: send texts and
 * calls from the configured origination identities, and email from the configured SES identity (the
 * address, or its domain when the domain is the verified identity).
 */
export const pagingGrants = (paging: PagingConfig, at: ArnScope): GrantStatement[] => {
  const grants: GrantStatement[] = [];
  if (paging.sms !== undefined)
    grants.push({
      actions: ['sms-voice:SendTextMessage'],
      resources: [originationIdentityArn(paging.sms.originationIdentity, at)],
    });
  if (paging.voice !== undefined)
    grants.push({
      actions: ['sms-voice:SendVoiceMessage'],
      resources: [originationIdentityArn(paging.voice.originationIdentity, at)],
    });
  if (paging.email !== undefined) {
    const identity = `arn:${at.partition}:ses:${at.region}:${at.account}:identity`;
    const domain = paging.email.from.slice(paging.email.from.lastIndexOf('@') + 1);
    grants.push({
      actions: ['ses:SendEmail'],
      resources: [`${identity}/${paging.email.from}`, `${identity}/${domain}`],
    });
  }
  return grants;
};
