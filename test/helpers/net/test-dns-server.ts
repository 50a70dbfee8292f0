import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import * as packet from 'dns-packet';

/** How the test server answers one name: records, an error rcode, or nothing for a while. */
export type DnsBehaviour =
  | { readonly answers: readonly packet.Answer[] }
  | { readonly rcode: 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' }
  | { readonly delayMs: number; readonly answers: readonly packet.Answer[] };

/** A DNS server on 127.0.0.1 speaking the wire protocol over UDP and TCP, with per-name behaviour. */
export interface TestDnsServer {
  /** `127.0.0.1:PORT`, for `resolvers` / `Resolver.setServers`. */
  readonly address: string;
  /** Sets how `name` (any record type) is answered. Names not set get NXDOMAIN. */
  zone(name: string, behaviour: DnsBehaviour): void;
  /** Questions received, as `NAME TYPE`. */
  readonly questions: string[];
  close(): Promise<void>;
}

const RCODE_NUMBERS = { NXDOMAIN: 3, SERVFAIL: 2, REFUSED: 5 } as const;

/**
 * Starts a real DNS server (built on `dns-packet`) on 127.0.0.1: UDP and TCP on the same port, so Node's
 * resolver (c-ares) can query it, and fall back to TCP for a truncated answer. Every timer it starts is
 * cleared by {@link TestDnsServer.close}.
 */
export const startTestDnsServer = async (): Promise<TestDnsServer> => {
  const zones = new Map<string, DnsBehaviour>();
  const questions: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  const respond = (query: Buffer, send: (answer: Buffer) => void): void => {
    const request = packet.decode(query);
    const question = request.questions?.[0];
    if (question === undefined) return;
    questions.push(`${question.name} ${question.type}`);
    const behaviour = zones.get(question.name.toLowerCase().replace(/\.$/, ''));
    const reply = (answers: readonly packet.Answer[], rcode?: keyof typeof RCODE_NUMBERS): void =>
      send(
        packet.encode({
          id: request.id,
          type: 'response',
          flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | (rcode ? RCODE_NUMBERS[rcode] : 0),
          questions: request.questions,
          answers: answers.filter((answer) => answer.type === question.type),
        }),
      );
    if (behaviour === undefined) reply([], 'NXDOMAIN');
    else if ('rcode' in behaviour) reply([], behaviour.rcode);
    else if ('delayMs' in behaviour) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        reply(behaviour.answers);
      }, behaviour.delayMs);
      timers.add(timer);
    } else reply(behaviour.answers);
  };

  const tcp: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) return;
        const message = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        respond(message, (answer) => {
          const framed = Buffer.alloc(2 + answer.length);
          framed.writeUInt16BE(answer.length, 0);
          answer.copy(framed, 2);
          if (!socket.destroyed) socket.write(framed);
        });
      }
    });
  });
  // UDP and TCP on one port: the UDP port the system picks may be taken for TCP by another process, so a
  // few ports are tried (bounded).
  let udp: UdpSocket | undefined;
  let port = 0;
  for (let attempt = 1; udp === undefined; attempt += 1) {
    const candidate = createSocket('udp4');
    await new Promise<void>((done) => candidate.bind(0, '127.0.0.1', done));
    port = candidate.address().port;
    const listened = await new Promise<boolean>((done) => {
      const refused = (): void => done(false);
      tcp.once('error', refused);
      tcp.listen(port, '127.0.0.1', () => {
        tcp.removeListener('error', refused);
        done(true);
      });
    });
    if (listened) udp = candidate;
    else {
      await new Promise<void>((done) => candidate.close(() => done()));
      if (attempt >= 10) throw new Error('no port free for both UDP and TCP on 127.0.0.1 after 10 tries');
    }
  }
  const server = udp;
  server.on('message', (message: Buffer, remote: RemoteInfo) =>
    respond(message, (answer) => server.send(answer, remote.port, remote.address)),
  );

  return {
    address: `127.0.0.1:${port}`,
    zone: (name, behaviour) => zones.set(name.toLowerCase(), behaviour),
    questions,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await Promise.all([
        new Promise<void>((done) => server.close(() => done())),
        new Promise<void>((done) => tcp.close(() => done())),
      ]);
    },
  };
};
