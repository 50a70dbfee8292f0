import {
  newSpanId,
  newXrayTraceId,
  traceHeaders,
  w3cTraceId,
} from '../../../../functions/synthetics/engine/trace-headers';

describe('traceHeaders', () => {
  it('derives X-Amzn-Trace-Id and traceparent from the same trace and span', () => {
    // Act
    const headers = traceHeaders({
      traceId: '1-5759e988-bd862e3fe1be46a994272793',
      spanId: '53995c3f42cd8ad8',
      sampled: true,
    });

    // Assess
    expect(headers).toEqual({
      'X-Amzn-Trace-Id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
    });
  });

  it('marks unsampled traces with Sampled=0 and flags 00', () => {
    // Act
    const headers = traceHeaders({ traceId: newXrayTraceId(0), spanId: newSpanId(), sampled: false });

    // Assess
    expect(headers['X-Amzn-Trace-Id']).toMatch(/;Sampled=0$/);
    expect(headers.traceparent).toMatch(/^00-00000000[0-9a-f]{24}-[0-9a-f]{16}-00$/);
  });

  it('mints X-Ray ids whose time part is the epoch second', () => {
    // Act
    const id = newXrayTraceId(Date.UTC(2024, 0, 1));

    // Assess
    expect(id).toMatch(/^1-65920080-[0-9a-f]{24}$/);
    expect(newSpanId()).toMatch(/^[0-9a-f]{16}$/);
  });

  it('rejects ids that are not X-Ray trace ids', () => {
    // Act / Assess
    expect(() => w3cTraceId('abc')).toThrow("not an X-Ray trace id: 'abc'");
  });
});
