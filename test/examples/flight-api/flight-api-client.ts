import type { FlightApi } from '../../../examples/flight-api';

/** A response from the demo API, body parsed as JSON when there is one. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
  readonly body: any;
}

/** Sends one request to the demo API over real HTTP. `body` is JSON-encoded unless it is a string. */
export const callApi = async (
  api: FlightApi,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> => {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
};

/** Registers a fresh user and returns its id and token. */
export const registerUser = async (
  api: FlightApi,
  email = 'ada@example.com',
): Promise<{ id: string; token: string }> => {
  const response = await callApi(api, 'POST', '/api/users', {
    body: { email, password: 'correct horse battery', name: 'Ada Lovelace' },
  });
  if (response.status !== 201)
    throw new Error(`registration failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { id: response.body.id, token: response.body.token };
};
