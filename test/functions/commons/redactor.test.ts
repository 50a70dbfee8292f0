import {
  isSensitiveHeader,
  isSensitiveName,
  maskFormFields,
  REDACTED,
  Redactor,
} from '../../../functions/commons/redactor';

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

describe('maskFormFields', () => {
  /** The oracle: the global regular expression the scan replaced, with the same replacement. */
  const FORM_FIELD = /(^|[?&;,\s])([A-Za-z0-9_.[\]-]{1,100})=([^&;,\s"']*)/g;
  const byRegex = (text: string): string =>
    text.replace(FORM_FIELD, (whole, sep: string, name: string) =>
      isSensitiveName(name) ? `${sep}${name}=${REDACTED}` : whole,
    );

  it('masks credential-named fields and leaves the rest', () => {
    // Act + Assess
    expect(maskFormFields('a=1&api_key=abc;session=x y=2 token=')).toBe(
      `a=1&api_key=${REDACTED};session=${REDACTED} y=2 token=${REDACTED}`,
    );
    expect(maskFormFields('password=a=b,c')).toBe(`password=${REDACTED},c`);
    // after a quote no field starts; a name of 100 characters is one, of 101 none
    expect(maskFormFields(`x"token=1 ${'k'.repeat(95)}token=2`)).toBe(
      `x"token=1 ${'k'.repeat(95)}token=${REDACTED}`,
    );
    expect(maskFormFields(` ${'k'.repeat(96)}token=2`)).toBe(` ${'k'.repeat(96)}token=2`);
  });

  it('finds exactly what the regular expression finds, on 3,000 seeded random texts', () => {
    // Prepare: texts built from the characters and words the expression cares about (separators, quotes,
    // name characters, '=', credential words, runs around the 100-character name limit)
    const pieces = [
      'a',
      'Z',
      '0',
      '_',
      '.',
      '[',
      ']',
      '-',
      '=',
      '==',
      '&',
      ';',
      ',',
      ' ',
      '\n',
      '\t',
      '\u00a0',
      '?',
      '"',
      "'",
      '/',
      ':',
      'é',
      'token',
      'password',
      'key',
      'sig',
      'code',
      'author',
      'session',
      'x'.repeat(98),
      'y'.repeat(100),
      `${'k'.repeat(95)}token=`,
      `${'k'.repeat(96)}token=`,
      'Bearer ',
    ];
    let seed = 42;
    const random = (below: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % below;
    };
    const texts = Array.from({ length: 3_000 }, () =>
      Array.from({ length: 1 + random(12) }, () => pieces[random(pieces.length)]).join(''),
    );

    // Act
    const differing = texts.filter((text) => maskFormFields(text) !== byRegex(text));

    // Assess
    expect(differing).toEqual([]);
    expect(texts.filter((text) => byRegex(text) !== text).length).toBeGreaterThan(100);
  });
});
