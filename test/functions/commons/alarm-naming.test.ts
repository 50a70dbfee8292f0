import { alarmName, isAlarmFor } from '../../../functions/commons/alarm-naming';
import { isSeverity, SEVERITIES } from '../../../functions/commons/severity';

describe('alarm names', () => {
  it('recognizes an alarm built for a rule, with or without a suffix', () => {
    // Prepare
    const plain = alarmName('shop', 'rule', 'HighErrorRate');
    const suffixed = alarmName('shop', 'rule', 'HighErrorRate', 'critical');

    // Act / Assess
    expect(isAlarmFor(plain, 'shop', 'rule', 'HighErrorRate')).toBe(true);
    expect(isAlarmFor(suffixed, 'shop', 'rule', 'HighErrorRate')).toBe(true);
  });

  it('does not take another rule, kind or app whose name merely starts the same', () => {
    // Act / Assess
    expect(isAlarmFor('shop-rule-HighErrorRateX', 'shop', 'rule', 'HighErrorRate')).toBe(false);
    expect(isAlarmFor('shop-check-HighErrorRate', 'shop', 'rule', 'HighErrorRate')).toBe(false);
    expect(isAlarmFor('shopping-rule-HighErrorRate', 'shop', 'rule', 'HighErrorRate')).toBe(false);
  });
});

describe('severities', () => {
  it('lists the three severities loudest first and recognizes only them', () => {
    // Assess
    expect(SEVERITIES).toEqual(['critical', 'warning', 'info']);
    expect(isSeverity('warning')).toBe(true);
    expect(isSeverity('Critical')).toBe(false);
    expect(isSeverity(undefined)).toBe(false);
  });
});
