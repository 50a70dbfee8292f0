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
    expect(body).toContain('CertificateDaysToExpiry');
    expect(body).toContain('{"value":21,"label":"warning"');
    expect(body).toContain('{"value":5,"label":"critical"');
    expect(body).toContain('cert: success');
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
