import { type MotoServer, startMoto } from '../setup/moto-server';

/** Access keys of an IAM user created in moto. */
export interface MotoCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** One IAM policy statement, as in a template once its intrinsic functions are resolved. */
export interface PolicyStatementJson {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: unknown;
}

/** A moto server of its own that enforces IAM (and checks resources), apart from the shared suite's. */
export interface IamMoto {
  readonly endpoint: string;
  /** Runs `setup` with enforcement off (creating tables, secrets, users ...), then turns it back on. */
  unenforced<T>(setup: () => Promise<T>): Promise<T>;
  /** Creates an IAM user holding exactly `statements` and returns its access keys. */
  principal(name: string, statements: readonly PolicyStatementJson[]): Promise<MotoCredentials>;
  stop(): Promise<void>;
}

const resetAuth = async (endpoint: string, count: string): Promise<void> => {
  const response = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: count });
  if (!response.ok) throw new Error(`moto reset-auth ${count}: HTTP ${response.status}`);
};

/** An IAM query-protocol call while enforcement is off (moto routes by the credential scope's service). */
const iamCall = async (endpoint: string, params: Record<string, string>): Promise<string> => {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization:
        'AWS4-HMAC-SHA256 Credential=setup/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: new URLSearchParams({ ...params, Version: '2010-05-08' }).toString(),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`IAM ${params.Action} failed: HTTP ${response.status} ${text}`);
  return text;
};

const element = (xml: string, name: string): string => {
  const match = new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml);
  if (match?.[1] === undefined) throw new Error(`no <${name}> in moto's answer: ${xml.slice(0, 300)}`);
  return match[1];
};

/**
 * Starts moto with `INITIAL_NO_AUTH_ACTION_COUNT=0`: every request must be signed with the access key of an IAM
 * user created in this moto, and is allowed only by that user's policies, resource included.
 */
export const startIamMoto = async (): Promise<IamMoto> => {
  const moto: MotoServer = await startMoto({ initialNoAuthActionCount: 0 });
  const { endpoint } = moto;
  let enforcedAgain: Promise<void> = Promise.resolve();
  const unenforced = async <T>(setup: () => Promise<T>): Promise<T> => {
    await enforcedAgain;
    await resetAuth(endpoint, 'inf');
    try {
      return await setup();
    } finally {
      enforcedAgain = resetAuth(endpoint, '0');
      await enforcedAgain;
    }
  };
  return {
    endpoint,
    unenforced,
    principal: (name, statements) =>
      unenforced(async () => {
        await iamCall(endpoint, { Action: 'CreateUser', UserName: name });
        await iamCall(endpoint, {
          Action: 'PutUserPolicy',
          UserName: name,
          PolicyName: `${name}-role-policy`,
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
        });
        const keys = await iamCall(endpoint, { Action: 'CreateAccessKey', UserName: name });
        return {
          accessKeyId: element(keys, 'AccessKeyId'),
          secretAccessKey: element(keys, 'SecretAccessKey'),
        };
      }),
    stop: () => moto.stop(),
  };
};
