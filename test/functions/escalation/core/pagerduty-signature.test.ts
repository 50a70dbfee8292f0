import { createHmac } from 'node:crypto';
import {
  pagerDutySignature,
  verifyPagerDutySignature,
} from '../../../../functions/escalation/core/pagerduty-signature';

const SECRET = 'pd-signing-secret';
const BODY = '{"event":{"id":"01","event_type":"incident.acknowledged","data":{"note":"caf\u00e9 \u2615"}}}';

describe('PagerDuty webhook signatures', () => {
  it('signs as PagerDuty documents: v1= and the hex HMAC-SHA256 of the raw UTF-8 body', () => {
    // Act
    const signature = pagerDutySignature(SECRET, BODY);
    // Assess
    expect(signature).toBe(
      `v1=${createHmac('sha256', SECRET).update(Buffer.from(BODY, 'utf8')).digest('hex')}`,
    );
    expect(pagerDutySignature(SECRET, Buffer.from(BODY, 'utf8'))).toBe(signature);
  });

  it('accepts a valid signature and names the channel whose secret made it', () => {
    // Act
    const check = verifyPagerDutySignature(BODY, pagerDutySignature(SECRET, BODY), {
      'other-pager': 'another-secret',
      'oncall-pagerduty': SECRET,
    });
    // Assess
    expect(check).toEqual({ ok: true, signer: 'oncall-pagerduty' });
  });

  it('accepts any one of several signatures sent while a secret is being rotated', () => {
    // Prepare
    const header = `${pagerDutySignature('old-secret', BODY)}, ${pagerDutySignature(SECRET, BODY)}`;
    // Act
    const check = verifyPagerDutySignature(BODY, header, { pager: SECRET });
    // Assess
    expect(check).toEqual({ ok: true, signer: 'pager' });
  });

  it('rejects a signature made with another secret, or over another body, as forged', () => {
    // Act
    const otherSecret = verifyPagerDutySignature(BODY, pagerDutySignature('guess', BODY), { pager: SECRET });
    const otherBody = verifyPagerDutySignature(`${BODY} `, pagerDutySignature(SECRET, BODY), {
      pager: SECRET,
    });
    const notHex = verifyPagerDutySignature(BODY, `v1=${'zz'.repeat(32)}`, { pager: SECRET });
    const truncated = verifyPagerDutySignature(BODY, pagerDutySignature(SECRET, BODY).slice(0, 40), {
      pager: SECRET,
    });
    // Assess
    expect([otherSecret, otherBody, notHex, truncated]).toEqual(
      Array(4).fill({ ok: false, problem: 'forged' }),
    );
  });

  it('reports a missing header, or one without any v1 signature, as missing', () => {
    // Act
    const absent = verifyPagerDutySignature(BODY, undefined, { pager: SECRET });
    const empty = verifyPagerDutySignature(BODY, '', { pager: SECRET });
    const otherVersion = verifyPagerDutySignature(
      BODY,
      pagerDutySignature(SECRET, BODY).replace('v1=', 'v0='),
      { pager: SECRET },
    );
    // Assess
    expect([absent, empty, otherVersion]).toEqual(Array(3).fill({ ok: false, problem: 'missing' }));
  });

  it('trusts nothing when no secret is configured', () => {
    // Act
    const check = verifyPagerDutySignature(BODY, pagerDutySignature(SECRET, BODY), {});
    // Assess
    expect(check).toEqual({ ok: false, problem: 'forged' });
  });
});
