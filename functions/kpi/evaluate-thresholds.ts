import type { ResolvedKpi } from '../commons/config/kpi-schema';
import type { KpiBreach, KpiValue } from './types/results';

/**
 * Compares a KPI's datapoints with its thresholds the way its CloudWatch alarms do: `below` alarms on the
 * lowest datapoint of the alarmed metric (`Minimum < threshold`), `above` on the highest
 * (`Maximum > threshold`). No datapoint is a breach only when `missingData` is `breaching`.
 * Returns the crossed thresholds, most severe first.
 *
 * @example
 * evaluateThresholds(kpi, [{ metric: 'conversion_rate', value: 8, unit: 'Percent', dimensions: {} }]);
 * // [{ severity: 'critical', direction: 'below', threshold: 10, value: 8, dimensions: {} }, { severity: 'warning', ... }]
 */
export const evaluateThresholds = (kpi: ResolvedKpi, values: readonly KpiValue[]): KpiBreach[] => {
  const alarmed = values.filter((value) => value.metric === kpi.alarmOn);
  const breaches: KpiBreach[] = [];
  for (const threshold of kpi.thresholds) {
    if (alarmed.length === 0) {
      if (kpi.missingData === 'breaching') {
        breaches.push({
          severity: threshold.severity,
          direction: threshold.direction,
          threshold: threshold.value,
          value: null,
          dimensions: {},
        });
      }
      continue;
    }
    const worst = alarmed.reduce((a, b) =>
      threshold.direction === 'below' ? (b.value < a.value ? b : a) : b.value > a.value ? b : a,
    );
    const crossed =
      threshold.direction === 'below' ? worst.value < threshold.value : worst.value > threshold.value;
    if (crossed) {
      breaches.push({
        severity: threshold.severity,
        direction: threshold.direction,
        threshold: threshold.value,
        value: worst.value,
        dimensions: worst.dimensions,
      });
    }
  }
  return breaches;
};
