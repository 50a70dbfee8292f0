import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** An X-Ray (sub)segment document as a test reads it. */
export interface XrayDocument {
  readonly id: string;
  readonly name: string;
  readonly type?: string;
  readonly trace_id?: string;
  readonly parent_id?: string;
  readonly start_time: number;
  readonly end_time?: number;
  readonly namespace?: string;
  readonly annotations?: Record<string, string | number | boolean>;
  readonly metadata?: Record<string, Record<string, unknown>>;
  readonly aws?: Record<string, string | number>;
  readonly http?: { request?: { method: string; url: string }; response?: { status: number } };
  readonly fault?: boolean;
  readonly error?: boolean;
  readonly throttle?: boolean;
  readonly cause?: { exceptions: { message: string; type: string; remote?: boolean }[] };
  readonly subsegments?: XrayDocument[];
}

/** A UDP socket on 127.0.0.1 that reads what is sent to it as the X-Ray daemon does. */
export interface TestXrayDaemon {
  readonly port: number;
  /** Every document received, in order (cleared by the test when it likes). */
  readonly documents: XrayDocument[];
  /** Waits (bounded, 30 s) until `count` documents have arrived. */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a {@link TestXrayDaemon}: each datagram is a JSON header line, then the document. */
export const startTestXrayDaemon = async (): Promise<TestXrayDaemon> => {
  const socket = createSocket('udp4');
  const documents: XrayDocument[] = [];
  socket.on('message', (message) => {
    const text = message.toString('utf8');
    documents.push(JSON.parse(text.slice(text.indexOf('\n') + 1)) as XrayDocument);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    port,
    documents,
    waitFor: async (count) => {
      const until = Date.now() + 30_000;
      while (documents.length < count && Date.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 20));
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
};
