import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';

/** What the test server does with a connection. */
export interface TcpBehaviour {
  /** Sent as soon as a client connects (an SMTP/SSH-style banner). */
  readonly banner?: string;
  /** Answers to what the client sends: each received chunk is passed in, the return value written back. */
  readonly reply?: (received: string) => string | undefined;
  /** Close the connection right after the banner. */
  readonly closeAfterBanner?: boolean;
}

/** A TCP (or TLS) server on 127.0.0.1. */
export interface TestTcpServer {
  readonly port: number;
  /** Everything clients sent, per connection. */
  readonly received: string[];
  close(): Promise<void>;
}

/**
 * Starts a TCP server on 127.0.0.1 (over TLS when `tls` options are given) that sends a banner and answers
 * what clients send. {@link TestTcpServer.close} destroys every open connection.
 */
export const startTestTcpServer = async (
  behaviour: TcpBehaviour,
  tls?: TlsOptions,
): Promise<TestTcpServer> => {
  const sockets = new Set<Socket>();
  const received: string[] = [];
  const onConnection = (socket: Socket): void => {
    sockets.add(socket);
    const index = received.push('') - 1;
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      received[index] += chunk.toString('utf8');
      const answer = behaviour.reply?.(chunk.toString('utf8'));
      if (answer !== undefined) socket.write(answer);
    });
    if (behaviour.banner !== undefined) socket.write(behaviour.banner);
    if (behaviour.closeAfterBanner) socket.end();
  };
  const server: Server = tls
    ? createTlsServer(tls, onConnection).on('tlsClientError', () => undefined)
    : createServer(onConnection);
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    received,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
};
