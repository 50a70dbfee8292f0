import { isSensitiveHeader, REDACTED, Redactor } from '../../../functions/commons/redactor';

describe('Redactor', () => {
  it('replaces secret values, plain and URL-encoded, everywhere in text', () => {
    // Prepare
    const redactor = new Redactor(['p@ss word']);

    // Act
    const text = redactor.text('login with p@ss word failed at /x?pw=p%40ss%20word');

    // Assess
    expect(text).toBe(`login with ${REDACTED} failed at /x?pw=${REDACTED}`);
  });

  it('redacts credential-like query parameters and userinfo in URLs but keeps the rest', () => {
    // Act
    const url = new Redactor().url('https://user:pw@api.test/a?token=abc&page=2&api_key=k&X-Amz-Signature=s');

    // Assess
    expect(url).toBe(
      `https://${REDACTED}@api.test/a?token=${REDACTED}&page=2&api_key=${REDACTED}&X-Amz-Signature=${REDACTED}`,
    );
  });

  it.each(['Authorization', 'cookie', 'Set-Cookie', 'x-api-key', 'X-Auth-Token', 'x-csrf-token'])(
    'treats the %s header as sensitive',
    (name) => {
      // Act / Assess
      expect(isSensitiveHeader(name)).toBe(true);
    },
  );

  it.each(['content-type', 'x-request-id', 'accept'])('keeps the %s header visible', (name) => {
    // Act / Assess
    expect(isSensitiveHeader(name)).toBe(false);
  });

  it('redacts nested values and credential-named keys', () => {
    // Prepare
    const redactor = new Redactor(['s3cret']);

    // Act
    const value = redactor.value({ list: ['a s3cret'], accessToken: 'zzz', count: 2 });

    // Assess
    expect(value).toEqual({ list: [`a ${REDACTED}`], accessToken: REDACTED, count: 2 });
  });
});

describe('Redactor on text that no config names', () => {
  it('masks credential fields, scheme credentials and JWTs in any text it scrubs', () => {
    // Prepare
    const redactor = new Redactor();

    // Act
    const text = redactor.text(
      'got \'redirect to /cb?code=abc123&state=ok\', \'{"client_secret":"zz"}\', Bearer 9f8e7d6c5b',
    );

    // Assess
    expect(text).toBe(
      `got 'redirect to /cb?code=${REDACTED}&state=ok', '{"client_secret":"${REDACTED}"}', Bearer ${REDACTED}`,
    );
  });

  it('masks numbers under credential-named keys, and keeps author-like keys', () => {
    // Act
    const value = new Redactor().value({ pin: 1, password: 1234, author: 'ann' });

    // Assess
    expect(value).toEqual({ pin: 1, password: REDACTED, author: 'ann' });
  });
});
