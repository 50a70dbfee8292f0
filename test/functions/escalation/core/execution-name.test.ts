import { executionName, normalizeTimestamp } from '../../../../functions/escalation/core/execution-name';

describe('execution names', () => {
  it('gives the same name to the same alarm and state-change time, however the time is written', () => {
    // Act
    const fromEventBridge = executionName('shop-check-login', '2026-03-02T10:30:00.123+0000');
    const fromSns = executionName('shop-check-login', '2026-03-02T10:30:00.123Z');
    // Assess
    expect(fromEventBridge).toBe(fromSns);
    expect(fromEventBridge).toMatch(/^shop-check-login-20260302T103000Z-[0-9a-f]{10}$/);
  });

  it('gives a new name to a new state change and stays within Step Functions’ 80 allowed characters', () => {
    // Prepare
    const long = `${'x'.repeat(200)} with spaces/and:colons`;
    // Act
    const name = executionName(long, '2026-03-02T10:30:00Z');
    // Assess
    expect(executionName('a', '2026-03-02T10:30:00Z')).not.toBe(executionName('a', '2026-03-02T10:31:00Z'));
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(normalizeTimestamp('2026-03-02T10:30:00.000+0100')).toBe('2026-03-02T09:30:00.000Z');
  });
});
