import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A proxy in front of moto that counts the AWS API calls going through it. */
export interface CountingAwsProxy {
  /** `http://127.0.0.1:<port>`: give it to a client as its endpoint. */
  readonly url: string;
  /** How many calls of an operation (`secretsmanager.GetSecretValue`, from `X-Amz-Target`) went through. */
  count(target: string): number;
  close(): Promise<void>;
}

/**
 * Starts a proxy on 127.0.0.1 that forwards every request, unchanged, to `upstream` (moto, from
 * `AWS_ENDPOINT_URL`) and counts the JSON-protocol operations by their `X-Amz-Target` header.
 */
export const startCountingAwsProxy = async (
  upstream: string = process.env.AWS_ENDPOINT_URL ?? '',
): Promise<CountingAwsProxy> => {
  const target = new URL(upstream);
  if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost')
    throw new Error(`the counting proxy forwards only to a local emulator, not ${upstream}`);
  const counts = new Map<string, number>();
  const server = createServer((incoming, outgoing) => {
    const operation = String(incoming.headers['x-amz-target'] ?? '').toLowerCase();
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    const forwarded = request(
      {
        hostname: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: (operation) => counts.get(operation.toLowerCase()) ?? 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
