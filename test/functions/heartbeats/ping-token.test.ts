import { MAX_TOKEN_LENGTH } from '../../../functions/heartbeats/ping-request';
import { newPingToken, tokenKey, tokenMatches } from '../../../functions/heartbeats/ping-token';

describe('tokenMatches', () => {
  it('matches the same token only: not a prefix, not a longer token, not one differing in a character', () => {
    // Prepare
    const token = newPingToken();
    const key = tokenKey(token);

    // Act + Assess
    expect(tokenMatches(token, key)).toBe(true);
    expect(tokenMatches(token.slice(0, -1), key)).toBe(false);
    expect(tokenMatches(`${token}A`, key)).toBe(false);
    expect(tokenMatches(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, key)).toBe(false);
    expect(tokenMatches(`B${token.slice(1)}`, tokenKey(`A${token.slice(1)}`))).toBe(false);
  });

  it('compares keys of one width whatever the tokens, so the time taken shows nothing of the expected token', () => {
    // Act
    const widths = ['a', newPingToken(), 'x'.repeat(MAX_TOKEN_LENGTH), 'y'.repeat(500), 'é'].map(
      (token) => tokenKey(token).length,
    );

    // Assess
    expect(new Set(widths).size).toBe(1);
  });

  it('never matches a token no ping URL can carry (longer than the path allows, or not ASCII), even itself', () => {
    // Prepare
    const long = 'x'.repeat(MAX_TOKEN_LENGTH + 1);
    const accented = 'tökén';

    // Act + Assess
    expect(tokenMatches(long, tokenKey(long))).toBe(false);
    expect(tokenMatches(accented, tokenKey(accented))).toBe(false);
    expect(tokenMatches('x'.repeat(MAX_TOKEN_LENGTH), tokenKey(long))).toBe(false);
    expect(tokenMatches('x'.repeat(MAX_TOKEN_LENGTH), tokenKey('x'.repeat(MAX_TOKEN_LENGTH)))).toBe(true);
  });
});
