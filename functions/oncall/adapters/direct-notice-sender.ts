import type { DirectPager, HttpPort } from '../../escalation/types/ports';
import { OnCallNoticeDeliveryError } from '../core/errors';
import type { ShiftNoticeSender } from '../core/send-shift-notices';

/** How a notice reaches Slack: the Web API base URL and the bot token. */
export interface NoticeSlack {
  readonly http: HttpPort;
  /** `https://slack.com/api` (`paging.slack.apiUrl`). */
  readonly apiUrl: string;
  readonly botToken: () => Promise<string>;
}

/**
 * A {@link ShiftNoticeSender} over the pagers people are paged with: SMS and email through the
 * {@link DirectPager} (End User Messaging SMS and SES v2 when deployed, the console locally), Slack as a
 * direct message (`chat.postMessage` to the member id, plain text, no buttons).
 */
export const directNoticeSender =
  (pager: DirectPager, slack?: NoticeSlack): ShiftNoticeSender =>
  async (method, recipient, notice) => {
    switch (method) {
      case 'sms':
        return pager.sendText(recipient, notice.text);
      case 'email':
        return pager.sendEmail(recipient, notice.subject, notice.text);
      case 'slack': {
        if (slack === undefined) throw new OnCallNoticeDeliveryError('paging.slack is not configured');
        const response = await slack.http({
          url: `${slack.apiUrl.replace(/\/$/, '')}/chat.postMessage`,
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            authorization: `Bearer ${await slack.botToken()}`,
          },
          body: JSON.stringify({ channel: recipient.to, text: notice.text }),
          timeoutMs: 5_000,
        });
        if (response.printed === true) return 'printed';
        let reply: { ok?: unknown; error?: unknown; ts?: unknown } = {};
        try {
          reply = JSON.parse(response.body) as typeof reply;
        } catch {
          // Reported below with the status.
        }
        if (response.status !== 200 || reply.ok !== true)
          throw new OnCallNoticeDeliveryError(
            `Slack HTTP ${response.status} ${String(reply.error ?? 'not ok')}`,
          );
        return String(reply.ts);
      }
    }
  };
