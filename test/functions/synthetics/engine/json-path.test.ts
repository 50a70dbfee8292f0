import { JsonPathSyntaxError } from '../../../../functions/synthetics/engine/errors';
import { evaluateJsonPath, parseJsonPath } from '../../../../functions/synthetics/engine/json-path';

describe('evaluateJsonPath', () => {
  const doc = { a: { b: [{ c: 1 }, { c: 2 }] }, 'x y': 'spaced', items: [], text: 'abc' };

  it.each([
    ['$', doc],
    ['$.a.b[0].c', 1],
    ['$.a.b[-1].c', 2],
    ["$['x y']", 'spaced'],
    ['$["x y"]', 'spaced'],
    ['$.items.length', 0],
    ['$.text.length', 3],
    ['$.a.b[*].c', [1, 2]],
    ['$.a.b.*.c', [1, 2]],
  ])('finds %s', (path, expected) => {
    // Act
    const match = evaluateJsonPath(doc, path);

    // Assess
    expect(match).toEqual({ found: true, value: expected });
  });

  it.each(['$.missing', '$.a.b[5]', '$.a.c.d', '$.text[0]'])('reports %s as not found', (path) => {
    // Act / Assess
    expect(evaluateJsonPath(doc, path)).toEqual({ found: false, value: undefined });
  });

  it.each(['a.b', '$.', '$[x]', '$.a b', "$['open"])(
    'rejects the malformed path %s with its position',
    (path) => {
      // Act / Assess
      expect(() => parseJsonPath(path)).toThrow(JsonPathSyntaxError);
    },
  );
});
