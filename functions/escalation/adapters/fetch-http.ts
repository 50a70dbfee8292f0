import type { HttpPort, HttpRequest, HttpResponse } from '../types/ports';

/** Largest response body kept (error pages can be big; only the start matters). */
const MAX_BODY = 4_096;

/**
 * {@link HttpPort} over global `fetch` with a per-request timeout. Errors name the host only, never the path
 * or query (webhook URLs are secrets).
 */
export const fetchHttp: HttpPort = async (request: HttpRequest): Promise<HttpResponse> => {
  const url = new URL(request.url);
  try {
    const response = await fetch(url, {
      method: request.method,
      headers: request.headers,
      ...(request.method === 'POST' ? { body: request.body } : {}),
      signal: AbortSignal.timeout(request.timeoutMs),
      redirect: 'manual',
    });
    const body = (await response.text()).slice(0, MAX_BODY);
    return { status: response.status, headers: Object.fromEntries(response.headers), body };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new Error(`request to ${url.host} failed: ${cause}`);
  }
};
