import { originationIdentityArn, pagingGrants } from '../../../../stacks/constructs/escalation/paging-grants';

const AT = { partition: 'aws', region: 'eu-west-2', account: '123456789012' };

describe('paging grants', () => {
  it('names each origination identity by its ARN: as given, a phone number or pool id, a sender id, an E.164 number', () => {
    // Act
    const arns = [
      'arn:aws:sms-voice:eu-west-2:123456789012:pool/pool-abc',
      'phone-0123456789abcdef',
      'pool-0123456789abcdef',
      'VIGIL',
      '+447700900123',
    ].map((identity) => originationIdentityArn(identity, AT));
    // Assess
    expect(arns).toEqual([
      'arn:aws:sms-voice:eu-west-2:123456789012:pool/pool-abc',
      'arn:aws:sms-voice:eu-west-2:123456789012:phone-number/phone-0123456789abcdef',
      'arn:aws:sms-voice:eu-west-2:123456789012:pool/pool-0123456789abcdef',
      'arn:aws:sms-voice:eu-west-2:123456789012:sender-id/VIGIL/*',
      'arn:aws:sms-voice:eu-west-2:123456789012:phone-number/*',
    ]);
  });

  it('grants only the configured methods: texts and calls on their identities, email on the address and its domain', () => {
    // Act
    const all = pagingGrants(
      {
        sms: { originationIdentity: 'phone-1' },
        voice: { originationIdentity: 'pool-2', voiceId: 'JOANNA' },
        email: { from: 'oncall@alerts.example.com' },
      },
      AT,
    );
    const none = pagingGrants({}, AT);
    // Assess
    expect(all).toEqual([
      {
        actions: ['sms-voice:SendTextMessage'],
        resources: ['arn:aws:sms-voice:eu-west-2:123456789012:phone-number/phone-1'],
      },
      {
        actions: ['sms-voice:SendVoiceMessage'],
        resources: ['arn:aws:sms-voice:eu-west-2:123456789012:pool/pool-2'],
      },
      {
        actions: ['ses:SendEmail'],
        resources: [
          'arn:aws:ses:eu-west-2:123456789012:identity/oncall@alerts.example.com',
          'arn:aws:ses:eu-west-2:123456789012:identity/alerts.example.com',
        ],
      },
    ]);
    expect(none).toEqual([]);
  });
});
