import { type LocalSpanRecord, LocalTracing } from '../../../../functions/synthetics/adapters/local-tracing';
import { runCheck } from '../../../../functions/synthetics/engine/check-runner';
import { check, step } from '../../../helpers/http/check-fixture';
import { startTestServer } from '../../../helpers/http/test-server';

describe('LocalTracing', () => {
  it('sends sampled trace headers naming each step span and reports the spans as they close', async () => {
    // Prepare
    const server = await startTestServer({ '/ok': { status: 200 } });
    const spans: LocalSpanRecord[] = [];
    const tracing = new LocalTracing({ onSpanEnd: (span) => spans.push(span) });

    // Act
    const result = await runCheck(check('local', [step('a', '/ok')]), {
      baseUrl: server.url,
      concurrency: 1,
      tracing,
    });
    await server.close();

    // Assess
    expect(spans.map((span) => span.name)).toEqual(['step a', 'check local']);
    const [stepSpan, checkSpan] = spans as [LocalSpanRecord, LocalSpanRecord];
    expect(stepSpan.parentId).toBe(checkSpan.spanId);
    expect(stepSpan.annotations).toMatchObject({ check: 'local', step: 'a', status: 'passed' });
    expect(checkSpan.traceId).toBe(result.traceId);
    expect(server.requests[0]?.headers['x-amzn-trace-id']).toBe(
      `Root=${result.traceId};Parent=${stepSpan.spanId};Sampled=1`,
    );
  });
});
