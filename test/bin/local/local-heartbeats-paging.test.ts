import { createLocalEscalation } from '../../../bin/local/escalation/local-escalation';
import { DEMO_LATE_HEARTBEAT } from '../../../examples/demo-heartbeats';
import { parseConfig } from '../../../functions/commons/config/resolve-config';
import { resolveOnCall } from '../../../functions/oncall/core/resolve-on-call';
import { config as demoConfig } from '../../../vigil.config';
import { startDemoHeartbeats } from './helpers/demo-heartbeats';

const config = parseConfig(demoConfig);

/** Waits for a condition, polling every 50 ms, for at most `ms` (generous: the machine is shared). */
const waitFor = async (condition: () => boolean, ms: number): Promise<void> => {
  for (const end = Date.now() + ms; !condition(); ) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('npm start: the demo heartbeat that is late on purpose pages the person on call (#15)', () => {
  it('escalates the late alarm to the on-call person of flight-primary and prints the page with their name', async () => {
    // Prepare: the demo's escalation with every delivery captured; heartbeats on a virtual clock.
    const printed: { channel: string; body: string }[] = [];
    const escalation = createLocalEscalation(config, {
      print: (channel, body) => printed.push({ channel, body }),
      overrides: async () => [],
    });
    const { local, lines, advance } = await startDemoHeartbeats(config, escalation);
    const onCallNames = () => {
      const onCall = resolveOnCall(config.schedules['flight-primary']!, [], Date.now());
      return onCall.kind === 'nobody' || onCall.person === undefined
        ? []
        : [config.people[onCall.person]!.name];
    };
    const expected = new Set(onCallNames());
    try {
      await (await fetch(local.pingUrls.get(DEMO_LATE_HEARTBEAT)!)).text();
      await local.evaluate();

      // Act: its minute and 30 s of grace pass without a ping.
      advance(90_001);
      await local.evaluate();
      const isPage = (channel: string) => /^SMS to .+ \(\+\d+\)$/.test(channel);
      await waitFor(() => printed.some((delivery) => isPage(delivery.channel)), 120_000);
      for (const name of onCallNames()) expected.add(name);

      // Assess
      expect(lines).toContain(`HEARTBEAT LATE ${DEMO_LATE_HEARTBEAT}`);
      expect(lines).toContain(`ALARM flight-booking-heartbeat-${DEMO_LATE_HEARTBEAT}: escalation started`);
      const page = printed.find((delivery) => isPage(delivery.channel))!;
      // Who: the person on call for flight-primary now, by name and number, through their critical rule (SMS first).
      const name = /^SMS to (.+) \(/.exec(page.channel)?.[1];
      expect([...expected]).toContain(name);
      expect(page.body).toContain(DEMO_LATE_HEARTBEAT);
    } finally {
      escalation.engine.stopAll();
      await local.stop();
    }
  }, 180_000);
});
