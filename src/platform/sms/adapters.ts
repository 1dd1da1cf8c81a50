import type { Config } from '../../config.js';
import type { WorkerLog } from '../jobs/registry.js';
import { maskPhone } from '../validation.js';

export interface OutgoingSms {
  messageId: number;
  phone: string;
  text: string;
}

export interface SmsAdapter {
  readonly name: string;
  /** Sends one message; resolves with the provider's reference, throws SmsSendError on failure. */
  send(msg: OutgoingSms): Promise<{ providerRef: string | null }>;
}

export class SmsSendError extends Error {
  override name = 'SmsSendError';
  constructor(message: string, readonly retryable: boolean, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * Development adapter: sends nothing and marks the message sent. The log carries the
 * message id and the masked number only — never the text, which holds sign-in codes;
 * administrators read it on the SMS outbox page.
 */
export function logSmsAdapter(log: WorkerLog): SmsAdapter {
  return {
    name: 'log',
    async send(msg) {
      log.info({ smsId: msg.messageId, to: maskPhone(msg.phone) }, 'sms recorded by the log adapter (not sent)');
      return { providerRef: `log-${msg.messageId}` };
    },
  };
}

export interface HttpSmsOptions {
  url: string;
  token: string | undefined;
  timeoutMs?: number;
}

/** Production adapter: POSTs `{ to, text, messageId }` to the configured gateway. */
export function httpSmsAdapter(o: HttpSmsOptions): SmsAdapter {
  const timeoutMs = o.timeoutMs ?? 10_000;
  return {
    name: 'http',
    async send(msg) {
      let res: Response;
      try {
        res = await fetch(o.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          },
          body: JSON.stringify({ to: msg.phone, text: msg.text, messageId: msg.messageId }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
        throw new SmsSendError(timedOut ? `gateway did not answer within ${timeoutMs} ms` : `gateway unreachable: ${(err as Error).message}`, true, { cause: err });
      }
      const body = await res.text().catch(() => '');
      if (!res.ok) throw new SmsSendError(`gateway answered HTTP ${res.status}`, true);
      return { providerRef: providerRefFrom(body) };
    },
  };
}

/** Takes the gateway's own id from a JSON answer (`id`, `messageId` or `ref`) when there is one. */
function providerRefFrom(body: string): string | null {
  try {
    const v = JSON.parse(body) as Record<string, unknown>;
    for (const k of ['id', 'messageId', 'ref']) {
      const ref = v?.[k];
      if (typeof ref === 'string' || typeof ref === 'number') return String(ref).slice(0, 200);
    }
  } catch {
    // A gateway that answers with plain text has no reference for us.
  }
  return null;
}

/** The adapter a queued message names (`sms_messages.adapter`), configured from `config.sms`. */
export function smsAdapterFor(name: string, config: Config, log: WorkerLog): SmsAdapter {
  if (name === 'log') return logSmsAdapter(log);
  if (name === 'http') {
    if (!config.sms.gatewayUrl) throw new SmsSendError('XS_SMS_GATEWAY_URL is not configured', false);
    return httpSmsAdapter({ url: config.sms.gatewayUrl, token: config.sms.gatewayToken });
  }
  throw new SmsSendError(`unknown SMS adapter "${name}"`, false);
}
