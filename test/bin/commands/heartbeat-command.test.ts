import { join } from 'node:path';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { heartbeatCommand, runHeartbeatCommand } from '../../../bin/commands/heartbeat-command';
import { type LocalHeartbeats, startLocalHeartbeats } from '../../../bin/local/local-heartbeats';
import { createAwsSecretBackend } from '../../../functions/commons/aws-secret-backend';
import { resolveHeartbeats } from '../../../functions/commons/config/heartbeat-schema';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { config as demoConfig } from '../../../vigil.config';
import { recordingIO } from '../../helpers/cli-io';

const ROOT = join(__dirname, '../../..');
const secrets = new SecretsManagerClient({});
const ssm = new SSMClient({});

const putSecret = async (name: string, value: string) => {
  try {
    await secrets.send(new CreateSecretCommand({ Name: name, SecretString: value }));
  } catch (error) {
    if (!(error instanceof ResourceExistsException)) throw error;
    await secrets.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
  }
};

let local: LocalHeartbeats;
let token: string;
const ports = { secrets: createAwsSecretBackend(), fetch };

beforeAll(async () => {
  // A real ping endpoint standing in for the deployed one, its URL in SSM and the token in Secrets Manager,
  // where the deployed stack keeps them (moto).
  const config = parseConfig(demoConfig);
  local = await startLocalHeartbeats({
    app: config.app,
    heartbeats: resolveHeartbeats(config),
    print: () => undefined,
  });
  token = local.pingUrls.get('nightly_booking_export')!.split('/').pop()!;
  await putSecret('vigil/flight-booking/heartbeats/nightly_booking_export', token);
  await ssm.send(
    new PutParameterCommand({
      Name: '/vigil/flight-booking/heartbeats/url',
      Value: `${local.url}/`,
      Type: 'String',
      Overwrite: true,
    }),
  );
});

afterAll(() => local.stop());

describe('vigil heartbeat', () => {
  it('prints the ping URL to put in a crontab, from the deployed endpoint and the token secret', async () => {
    // Prepare
    const { io, stdout } = recordingIO({ cwd: ROOT });

    // Act
    const code = await runHeartbeatCommand(['url', 'nightly_booking_export'], io, ports);

    // Assess
    expect(code).toBe(0);
    expect(stdout()).toBe(`${local.url}/ping/nightly_booking_export/${token}\n`);
  });

  it('pings success and --fail, which the endpoint records', async () => {
    // Prepare
    const { io, stdout } = recordingIO({ cwd: ROOT });

    // Act
    const success = await runHeartbeatCommand(['ping', 'nightly_booking_export'], io, ports);
    const upAfterSuccess = (await local.evaluate()).find((e) => e.name === 'nightly_booking_export')?.status;
    const failed = await runHeartbeatCommand(
      ['ping', 'nightly_booking_export', '--fail', '--body', 'disk full'],
      io,
      ports,
    );
    const afterFail = (await local.evaluate()).find((e) => e.name === 'nightly_booking_export')?.status;

    // Assess
    expect([success, failed]).toEqual([0, 0]);
    expect(upAfterSuccess).toBe('up');
    expect(afterFail).toBe('failed');
    expect(stdout()).toBe("pinged 'nightly_booking_export'\npinged 'nightly_booking_export' (fail)\n");
  });

  it('reports an unknown heartbeat and a refused ping without printing the token', async () => {
    // Prepare
    const unknown = recordingIO({ cwd: ROOT });
    const refused = recordingIO({ cwd: ROOT });
    await putSecret(
      'vigil/flight-booking/heartbeats/fare_cache_refresh',
      'a-token-the-endpoint-does-not-know',
    );

    // Act
    const unknownCode = await heartbeatCommand.run(['url', 'constructor'], unknown.io);
    const refusedCode = await runHeartbeatCommand(['ping', 'fare_cache_refresh'], refused.io, ports);

    // Assess
    expect(unknownCode).toBe(2);
    expect(unknown.stderr()).toBe(
      "unknown heartbeat 'constructor': choose one of fare_cache_refresh, loyalty_points_sync, nightly_booking_export\n",
    );
    expect(refusedCode).toBe(1);
    expect(refused.stderr()).toBe(
      "ping of 'fare_cache_refresh' refused (HTTP 404): is the token current and the name deployed?\n",
    );
    expect(refused.stderr()).not.toContain('a-token-the-endpoint-does-not-know');
  });
});
