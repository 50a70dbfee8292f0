import { DEMO_APP, demoEscalation } from '../../../../examples/demo-escalation';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { resolveBundledConfig } from '../../../../functions/escalation/core/resolve-runtime-config';
import { routeAlarm } from '../../../../functions/escalation/core/route-alarm';
import type { AlarmSnapshot } from '../../../../functions/escalation/types/incident';

const CONFIGURED = 'https://runbooks.example.com/checks';

const config = resolveBundledConfig(
  parseConfig({
    app: DEMO_APP,
    environments: { prod: { baseUrl: 'https://api.example.com' } },
    defaults: { runbookUrl: CONFIGURED },
    ...demoEscalation,
  }),
);

const alarm = (description: string): AlarmSnapshot => ({
  alarmName: 'payments-queue-depth',
  state: 'ALARM',
  reason: 'Threshold Crossed',
  stateChangedAt: '2026-03-02T10:30:00.000Z',
  region: 'eu-west-1',
  description,
  source: 'sns',
});

describe('routeAlarm runbook', () => {
  it('never takes a runbook link the config does not name from an alarm description', () => {
    // Act
    const markdown = routeAlarm(alarm('Queue deep. [Runbook](https://evil.example/rb)'), {}, config);
    const bare = routeAlarm(alarm('Queue deep. Runbook: https://evil.example/rb'), {}, config);
    // Assess
    expect(markdown.runbookUrl).toBeUndefined();
    expect(bare.runbookUrl).toBeUndefined();
  });

  it('offers a runbook named in the description when the config names it (as Vigil writes its own alarms)', () => {
    // Act
    const route = routeAlarm(
      alarm(`Synthetic check 'login' failed. Runbook: https://evil.example/x Runbook: ${CONFIGURED}`),
      {},
      config,
    );
    // Assess
    expect(config.runbooks).toContain(CONFIGURED);
    expect(route.runbookUrl).toBe(CONFIGURED);
  });
});
