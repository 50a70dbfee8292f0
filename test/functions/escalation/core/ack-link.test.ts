import { createHmac } from 'node:crypto';
import { ackLink, verifyAckLink } from '../../../../functions/escalation/core/ack-link';

const SECRET = 'ack-link-test-key';
const BASE = 'https://ack.example.lambda-url.us-east-1.on.aws/';
const NOW = Date.parse('2026-03-02T10:30:00.000Z');
const EXPIRES = NOW + 86_400_000;

/** The query of `link` with some parameters replaced. */
const tampered = (link: string, changes: Record<string, string>): URLSearchParams => {
  const query = new URL(link).searchParams;
  for (const [name, value] of Object.entries(changes)) query.set(name, value);
  return query;
};

describe('ackLink / verifyAckLink', () => {
  it('verifies the link it issued and returns its parameters', () => {
    // Prepare
    const link = ackLink(BASE, SECRET, 'shop-check-login-20260302T1030Z-1a2b', 'oncall-slack', EXPIRES);
    // Act
    const verified = verifyAckLink(new URL(link).searchParams, SECRET, NOW);
    // Assess
    expect(verified).toEqual({
      ok: true,
      params: expect.objectContaining({
        incident: 'shop-check-login-20260302T1030Z-1a2b',
        channel: 'oncall-slack',
        expires: EXPIRES,
      }),
    });
  });

  it('refuses a signature moved to other parameters whose concatenation is the same', () => {
    // Prepare: the signed fields are incident 'inc-C\nx' and channel 'y'; the forger moves the boundary.
    const link = ackLink(BASE, SECRET, 'inc-C\nx', 'y', EXPIRES);
    const shifted = tampered(link, { incident: 'inc-C', channel: 'x\ny' });
    // Act
    const verified = verifyAckLink(shifted, SECRET, NOW);
    // Assess
    expect(verified).toEqual({ ok: false, problem: 'forged' });
  });

  it('refuses a link signed with the newline-joined encoding of earlier releases', () => {
    // Prepare: a link as issued before the unambiguous encoding (they expire within ackLinkTtl anyway).
    const legacySig = createHmac('sha256', SECRET)
      .update(`v1\ninc-E\noncall-slack\n${EXPIRES}`)
      .digest('base64url');
    const query = new URLSearchParams({
      incident: 'inc-E',
      channel: 'oncall-slack',
      expires: String(EXPIRES),
      sig: legacySig,
    });
    // Act
    const verified = verifyAckLink(query, SECRET, NOW);
    // Assess
    expect(verified).toEqual({ ok: false, problem: 'forged' });
  });

  it.each([
    ['another incident', { incident: 'inc-other' }],
    ['another channel', { channel: 'oncall-sms' }],
    ['a later expiry', { expires: String(EXPIRES + 1) }],
    ['a signature from another key', { sig: 'A'.repeat(43) }],
  ])('refuses a link with %s', (_what, changes) => {
    // Prepare
    const link = ackLink(BASE, SECRET, 'inc-F', 'oncall-slack', EXPIRES);
    // Act
    const verified = verifyAckLink(tampered(link, changes), SECRET, NOW);
    // Assess
    expect(verified).toEqual({ ok: false, problem: 'forged' });
  });

  it('refuses an expired link and one with a parameter missing', () => {
    // Prepare
    const link = ackLink(BASE, SECRET, 'inc-G', 'oncall-slack', EXPIRES);
    const incomplete = new URL(link).searchParams;
    incomplete.delete('channel');
    // Act
    const expired = verifyAckLink(new URL(link).searchParams, SECRET, EXPIRES + 1);
    const missing = verifyAckLink(incomplete, SECRET, NOW);
    // Assess
    expect(expired).toEqual({ ok: false, problem: 'expired' });
    expect(missing).toEqual({ ok: false, problem: 'missing' });
  });
});
