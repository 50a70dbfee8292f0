import { request } from 'node:http';
import { type FlightApi, FlightApiStartError, startFlightApi } from '../../../examples/flight-api';
import { callApi, registerUser } from './flight-api-client';

const TRACE = {
  'X-Amzn-Trace-Id': 'Root=1-65a1b2c3-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1',
  traceparent: '00-0123456789abcdef0123456789abcdef-53995c3f42cd8ad8-01',
};

/** Streams `size` bytes as a chunked body (no content-length) and resolves to the status. */
const postChunked = (api: FlightApi, path: string, size: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(8 * 1024, 'a');
    for (let sent = 0; sent < size; sent += chunk.length) req.write(chunk);
    req.end();
  });

describe('flight API HTTP behaviour', () => {
  let api: FlightApi;

  beforeEach(async () => {
    api = await startFlightApi({ port: 0 });
  });

  afterEach(async () => {
    await api.close();
  });

  it.each([
    ['a probe', 'GET', '/health/ready', 200],
    ['an unknown route', 'GET', '/nope', 404],
    ['a deletion', 'DELETE', '/__faults', 204],
  ])('echoes both trace headers and answers JSON on %s', async (_case, method, path, status) => {
    // Act
    const response = await callApi(api, method, path, { headers: TRACE });

    // Assess
    expect(response.status).toBe(status);
    expect(response.headers.get('x-amzn-trace-id')).toBe(TRACE['X-Amzn-Trace-Id']);
    expect(response.headers.get('traceparent')).toBe(TRACE.traceparent);
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('echoes the trace headers on injected faults and on failures caused by a down dependency', async () => {
    // Prepare
    api.faults.set({ down: ['database'], routes: { 'GET /health/live': { status: 500 } } });

    // Act
    const faulted = await callApi(api, 'GET', '/health/live', { headers: TRACE });
    const down = await callApi(api, 'GET', '/api/flights?from=LAX&to=JFK', { headers: TRACE });

    // Assess
    for (const response of [faulted, down]) {
      expect(response.headers.get('traceparent')).toBe(TRACE.traceparent);
      expect(response.headers.get('x-amzn-trace-id')).toBe(TRACE['X-Amzn-Trace-Id']);
    }
  });

  it('sends no trace headers when the request had none', async () => {
    // Act
    const response = await callApi(api, 'GET', '/health/live');

    // Assess
    expect(response.headers.has('traceparent')).toBe(false);
    expect(response.headers.has('x-amzn-trace-id')).toBe(false);
  });

  it('answers 404 naming an unknown route', async () => {
    // Act
    const response = await callApi(api, 'GET', '/api/planes');

    // Assess
    expect(response).toMatchObject({ status: 404, body: { error: 'not found: GET /api/planes' } });
  });

  it('answers 405 listing the allowed methods for a known path', async () => {
    // Act
    const response = await callApi(api, 'PATCH', '/api/bookings/bkg_1');

    // Assess
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, DELETE');
  });

  it('answers 400 for a malformed JSON body', async () => {
    // Prepare
    const { token } = await registerUser(api);

    // Act
    const users = await callApi(api, 'POST', '/api/users', { body: '{"email": ' });
    const bookings = await callApi(api, 'POST', '/api/bookings', { token, body: 'not json' });
    const faults = await callApi(api, 'PUT', '/__faults', { body: '' });

    // Assess
    for (const response of [users, bookings, faults]) {
      expect(response).toMatchObject({ status: 400, body: { error: 'invalid JSON body' } });
    }
  });

  it('answers 413 for a body declared larger than 64 KB', async () => {
    // Act
    const response = await callApi(api, 'POST', '/api/users', { body: 'x'.repeat(64 * 1024 + 1) });

    // Assess
    expect(response.status).toBe(413);
    expect(response.body.error).toContain('65536');
  });

  it('answers 413 for a chunked body that grows past 64 KB', async () => {
    // Act
    const status = await postChunked(api, '/api/users', 80 * 1024);

    // Assess
    expect(status).toBe(413);
  });

  it('accepts a body of exactly 64 KB', async () => {
    // Prepare
    const padding = 'x'.repeat(
      64 * 1024 - JSON.stringify({ email: 'a@b.co', password: '12345678', name: 'A', pad: '' }).length,
    );
    const body = JSON.stringify({ email: 'a@b.co', password: '12345678', name: 'A', pad: padding });

    // Act
    const response = await callApi(api, 'POST', '/api/users', { body });

    // Assess
    expect(Buffer.byteLength(body)).toBe(64 * 1024);
    expect(response.status).toBe(201);
  });
});

describe('startFlightApi', () => {
  it('listens on 127.0.0.1 and reports the ephemeral port it bound', async () => {
    // Act
    const api = await startFlightApi({ port: 0 });
    await api.close();

    // Assess
    expect(api.port).toBeGreaterThan(0);
    expect(api.url).toBe(`http://127.0.0.1:${api.port}`);
  });

  it('fails with FlightApiStartError naming the address when the port is taken', async () => {
    // Prepare
    const first = await startFlightApi({ port: 0 });

    // Act
    const second = startFlightApi({ port: first.port });

    // Assess
    await expect(second).rejects.toThrow(FlightApiStartError);
    await expect(second).rejects.toThrow(`127.0.0.1:${first.port}`);
    await first.close();
  });

  it('stops accepting requests on close, and can be closed twice', async () => {
    // Prepare
    const api = await startFlightApi({ port: 0 });
    await callApi(api, 'GET', '/health/live');

    // Act
    await api.close();
    await api.close();

    // Assess
    await expect(callApi(api, 'GET', '/health/live')).rejects.toThrow();
  });

  it('logs one line per request without bodies or tokens', async () => {
    // Prepare
    const log: string[] = [];
    const api = await startFlightApi({ port: 0, log: (line) => log.push(line) });

    // Act
    const { token } = await registerUser(api);
    await callApi(api, 'GET', '/api/bookings/bkg_1', { token });
    await api.close();

    // Assess
    expect(log).toEqual([
      expect.stringMatching(/^POST \/api\/users 201 \d+ms$/),
      expect.stringMatching(/^GET \/api\/bookings\/bkg_1 404 \d+ms$/),
    ]);
    expect(log.join('\n')).not.toContain(token);
    expect(log.join('\n')).not.toContain('correct horse');
  });
});
