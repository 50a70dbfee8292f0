import { Stack } from 'aws-cdk-lib';
import { parseConfig, resolveChecks } from '../../../functions/commons/config/resolve-config';
import { syntheticsSections } from '../../../stacks/constructs/observability/dashboards';

/** The synthetics widgets of `checks`, as JSON. */
const widgetsOf = (checks: unknown[], detailed: boolean) => {
  const config = parseConfig({
    app: 'net',
    environments: { prod: { baseUrl: 'http://shop.example' } },
    defaults: { locations: ['eu-west-1'] },
    checks,
  });
  const stack = new Stack(undefined, 'Test', { env: { region: 'eu-west-1' } });
  const widgets = syntheticsSections({
    app: 'net',
    checks: resolveChecks(config),
    region: 'eu-west-1',
    detailed,
  })
    .flat()
    .flatMap((widget) => widget.toJson());
  return JSON.stringify(stack.resolve(widgets));
};

describe('dashboard widgets of tcp, dns and tls checks', () => {
  it('charts a tls check’s certificate days to expiry with its warning and critical lines', () => {
    // Act
    const body = widgetsOf(
      [{ type: 'tls', name: 'cert', host: 'shop.example', daysBeforeExpiry: { warning: 21, critical: 5 } }],
      false,
    );

    // Assess
    expect(body).toContain('cert: certificate days to expiry');
    // The host's metric (dimensions App, Host), not the check's
    expect(body).toContain('"CertificateDaysToExpiry","App","net","Host","shop.example"');
    expect(body).toContain('{"value":21,"label":"warning"');
    expect(body).toContain('{"value":5,"label":"critical"');
    expect(body).toContain('cert: success (%)');
  });

  it("charts a rate check's success as the percentage of its CheckDuration values above 0 over one interval, per location", () => {
    // Act
    const body = widgetsOf(
      [{ type: 'tcp', name: 'db', host: 'db.example', port: 5432, schedule: '2m' }],
      false,
    );

    // Assess: one period per check interval (one run), 100 when it passed, 0 when it failed (published 0)
    expect(body).toContain(
      '"metrics":[["Vigil","CheckDuration","App","net","Check","db",{"label":"eu-west-1","region":"eu-west-1","period":120,"stat":"PR(0:900000)"}]]',
    );
    // Latency of passing runs: their mean leaves failed runs' 0 out
    expect(body).toContain(
      '{"label":"eu-west-1 mean","region":"eu-west-1","period":120,"stat":"TM(0:900000)"}',
    );
  });

  it('draws the one probe step of a network check in the detailed steps widget', () => {
    // Act
    const body = widgetsOf([{ type: 'dns', name: 'mx', query: 'shop.example', recordType: 'MX' }], true);

    // Assess
    expect(body).toContain('mx: steps');
    expect(body).toContain('dns success');
    expect(body).not.toContain('certificate days to expiry');
  });
});
