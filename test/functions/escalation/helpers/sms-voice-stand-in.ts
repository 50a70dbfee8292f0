import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';

/** One call the stand-in received: the `X-Amz-Target` operation and its JSON input. */
export interface SmsVoiceCall {
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

/**
 * A local stand-in for AWS End User Messaging SMS and Voice v2 on 127.0.0.1, speaking its JSON 1.0 protocol
 * (`POST /` with `X-Amz-Target: PinpointSMSVoiceV2.<Operation>`), for the real SDK client with `endpoint`
 * overridden. Answers every send with a message id; `failNext` makes the next call a service error.
 */
export interface SmsVoiceStandIn {
  readonly client: PinpointSMSVoiceV2Client;
  readonly calls: SmsVoiceCall[];
  failNext(): void;
  close(): Promise<void>;
}

/** Starts the stand-in on an ephemeral port. */
export const startSmsVoiceStandIn = async (): Promise<SmsVoiceStandIn> => {
  const calls: SmsVoiceCall[] = [];
  let fail = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace('PinpointSMSVoiceV2.', '');
      calls.push({ operation, input: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') });
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      if (fail) {
        fail = false;
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ValidationException', message: 'destination opted out' }));
        return;
      }
      res.end(JSON.stringify({ MessageId: `msg-${calls.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new PinpointSMSVoiceV2Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return {
    client,
    calls,
    failNext: () => {
      fail = true;
    },
    close: () => {
      client.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
