import { configIssues } from '../../../helpers/config-issues';

const withStepUrl = (url: string) => ({
  app: 'shop',
  environments: { local: { baseUrl: 'http://127.0.0.1:4010' } },
  checks: [{ name: 'journey', steps: [{ name: 'get', request: { url } }] }],
});

describe('URL templates', () => {
  it.each([
    ['{{baseUrl}}/flights/search?from={{ from }}&to=LHR'],
    ['https://api.example.com/health'],
    ['{{baseUrl}}'],
    ['http://{{host}}:8080/x'],
  ])('accepts %s, which renders to an absolute http(s) URL', (url) => {
    // Act
    const issues = configIssues({
      ...withStepUrl(url),
      environments: { local: { baseUrl: 'http://127.0.0.1:4010', variables: { from: 'CDG', host: 'h' } } },
    });
    // Assess
    expect(issues).toEqual([]);
  });

  it.each([
    ['{{baseUrl}/ok', 'unbalanced braces'],
    ['{baseUrl}}/ok', 'unbalanced braces'],
    ['{{baseUrl}}/{{}}', 'unbalanced braces'],
    ['not a url', 'is not an absolute URL'],
    ['/flights', 'is not an absolute URL'],
    ['ftp://files.example.com/x', "is not an http(s) URL (scheme 'ftp')"],
  ])('rejects %s in a step request (%s)', (url, problem) => {
    // Act
    const issues = configIssues(withStepUrl(url));
    // Assess
    expect(issues).toEqual([
      { path: 'checks[0].steps[0].request.url', message: expect.stringContaining(problem) },
    ]);
  });

  it('rejects a malformed health-check URL with its path', () => {
    // Act
    const issues = configIssues({
      app: 'shop',
      environments: { local: { baseUrl: 'http://127.0.0.1:4010' } },
      checks: [{ type: 'health', name: 'live', url: '{{baseUrl}/health/live' }],
    });
    // Assess
    expect(issues).toEqual([
      { path: 'checks[0].url', message: expect.stringContaining('unbalanced braces') },
    ]);
  });

  it('rejects an environment base URL that is not http(s)', () => {
    // Act
    const issues = configIssues({ app: 'shop', environments: { local: { baseUrl: 'localhost:4010' } } });
    // Assess
    expect(issues).toEqual([
      { path: 'environments.local.baseUrl', message: expect.stringContaining('an absolute http(s) URL') },
    ]);
  });
});
