import { formatDeliveryLine } from '../../../bin/commands/incident-report';
import type { AuditRecord } from '../../../functions/escalation/types/incident';

const record = (fields: Partial<AuditRecord>): AuditRecord => ({
  incidentId: 'shop-check-login-20260302T103000Z-abc',
  at: Date.parse('2026-03-02T10:30:00Z'),
  channel: 'oncall-slack',
  channelType: 'slack',
  kind: 'trigger',
  level: 0,
  round: 0,
  outcome: 'delivered',
  attempts: 1,
  detail: 'HTTP 200 after 1 attempt',
  ...fields,
});

describe('formatDeliveryLine (npm start and vigil incidents)', () => {
  it('shows action, channel, level, result, attempts and detail of a page', () => {
    expect(formatDeliveryLine(record({}))).toBe(
      'PAGE  [oncall-slack] L1 delivered (1 attempt): HTTP 200 after 1 attempt',
    );
  });

  it('shows a failed page with its attempts and the fallback that stood in for it', () => {
    // Act
    const failed = formatDeliveryLine(
      record({
        channel: 'oncall-pagerduty',
        channelType: 'pagerduty',
        outcome: 'failed',
        attempts: 3,
        detail: 'EscalationDeliveryError: HTTP 500; HTTP 500; HTTP 500',
      }),
    );
    const fallback = formatDeliveryLine(
      record({
        channel: 'oncall-teams',
        channelType: 'teams',
        fallbackFor: 'oncall-pagerduty',
        detail: 'fallback for oncall-pagerduty: HTTP 200 after 1 attempt',
      }),
    );
    // Assess
    expect(failed).toBe(
      'PAGE  [oncall-pagerduty] L1 failed (3 attempts): EscalationDeliveryError: HTTP 500; HTTP 500; HTTP 500',
    );
    expect(fallback).toBe(
      'PAGE  [oncall-teams] L1 delivered as fallback for oncall-pagerduty (1 attempt): HTTP 200 after 1 attempt',
    );
  });

  it('shows follow-ups without a level, and an alarm state that could not be read', () => {
    expect(formatDeliveryLine(record({ kind: 'resolve' }))).toBe(
      'RESOLVE [oncall-slack] delivered (1 attempt): HTTP 200 after 1 attempt',
    );
    expect(
      formatDeliveryLine(
        record({
          kind: 'alarm-state',
          channel: 'shop-check-login',
          outcome: 'unreadable',
          detail: 'alarm state unknown, incident kept open and read again at the next check: AccessDenied',
        }),
      ),
    ).toBe(
      'STATE [shop-check-login] unreadable (1 attempt): alarm state unknown, incident kept open and read again at the next check: AccessDenied',
    );
  });
});
