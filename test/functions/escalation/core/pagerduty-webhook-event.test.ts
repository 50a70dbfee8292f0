import { parsePagerDutyWebhookEvent } from '../../../../functions/escalation/core/pagerduty-webhook-event';

/** The shape of PagerDuty's documented V3 `incident.*` payload (developer docs, Webhooks overview). */
const acknowledged = {
  event: {
    id: '5ac64822-4adc-4fda-ade0-410becf0de4f',
    event_type: 'incident.acknowledged',
    resource_type: 'incident',
    occurred_at: '2026-03-02T10:33:00.000Z',
    agent: {
      html_url: 'https://acme.pagerduty.com/users/PLH1HKV',
      id: 'PLH1HKV',
      self: 'https://api.pagerduty.com/users/PLH1HKV',
      summary: 'Ada Lovelace',
      type: 'user_reference',
    },
    client: { name: 'PagerDuty' },
    data: {
      id: 'PGR0VU2',
      type: 'incident',
      self: 'https://api.pagerduty.com/incidents/PGR0VU2',
      html_url: 'https://acme.pagerduty.com/incidents/PGR0VU2',
      number: 2,
      status: 'acknowledged',
      incident_key: 'shop-check-login-20260302T103000Z-1a2b3c4d5e',
      created_at: '2026-03-02T10:30:01Z',
      title: 'ServiceDown: Service is down',
      resolve_reason: null,
    },
  },
};

describe('parsePagerDutyWebhookEvent', () => {
  it('reads the event, the acknowledging agent and the incident key of an incident.acknowledged event', () => {
    // Act
    const parsed = parsePagerDutyWebhookEvent(JSON.stringify(acknowledged));
    // Assess
    expect(parsed).toEqual({
      ok: true,
      event: {
        id: '5ac64822-4adc-4fda-ade0-410becf0de4f',
        eventType: 'incident.acknowledged',
        occurredAt: '2026-03-02T10:33:00.000Z',
        agent: {
          id: 'PLH1HKV',
          type: 'user_reference',
          summary: 'Ada Lovelace',
          htmlUrl: 'https://acme.pagerduty.com/users/PLH1HKV',
        },
        incident: {
          id: 'PGR0VU2',
          incidentKey: 'shop-check-login-20260302T103000Z-1a2b3c4d5e',
          status: 'acknowledged',
          title: 'ServiceDown: Service is down',
          htmlUrl: 'https://acme.pagerduty.com/incidents/PGR0VU2',
        },
      },
    });
  });

  it('accepts other event types without an incident, such as a service update with a null agent', () => {
    // Act
    const parsed = parsePagerDutyWebhookEvent(
      JSON.stringify({
        event: {
          id: '01BRB6ZP4M6T8ZG4X6BP63ZB9O',
          event_type: 'service.updated',
          agent: null,
          data: { id: 'PF9KMXH', type: 'service' },
        },
      }),
    );
    // Assess
    expect(parsed).toEqual({
      ok: true,
      event: { id: '01BRB6ZP4M6T8ZG4X6BP63ZB9O', eventType: 'service.updated' },
    });
  });

  it.each([
    ['not json', 'body is not JSON'],
    ['[]', "body has no 'event' object (expected a V3 webhook payload)"],
    ['{"messages":[]}', "body has no 'event' object (expected a V3 webhook payload)"],
    ['{"event":{"event_type":"incident.acknowledged"}}', "'event.id' must be a non-empty string"],
    ['{"event":{"id":"e1","event_type":""}}', "'event.event_type' must be a non-empty string"],
    [
      '{"event":{"id":"e1","event_type":"incident.acknowledged","data":{"type":"incident"}}}',
      "'event.data.id' must be a non-empty string",
    ],
    [
      '{"event":{"id":"e1","event_type":"incident.acknowledged","data":{"type":"incident_note","id":"N1"}}}',
      "'incident.acknowledged' needs 'event.data' of type 'incident'",
    ],
  ])('rejects %s, saying what is wrong', (body, problem) => {
    // Act
    const parsed = parsePagerDutyWebhookEvent(body);
    // Assess
    expect(parsed).toEqual({ ok: false, problem });
  });
});
