import { demoKpis } from '../../../../examples/demo-kpis';
import { parseConfig } from '../../../../functions/commons/config/resolve-config';
import { resolveKpis } from '../../../../functions/commons/config/resolve-kpis';

/** The demo config's KPIs (the seeds' three queries), resolved. */
export const resolvedDemoKpis = () =>
  resolveKpis(
    parseConfig({
      app: 'flight-booking',
      environments: { local: { baseUrl: 'http://127.0.0.1:4010' } },
      ...demoKpis,
    }),
  );
