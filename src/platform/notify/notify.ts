import type { Executor } from '../../db/database.js';
import { enqueueJob } from '../jobs/enqueue.js';
import { queueSms } from '../sms/queue.js';
import { EMAIL_JOB } from './email-job.js';
import { smtpUrl } from './smtp.js';

export type Channel = 'site' | 'sms' | 'email';

export interface Notice {
  userId: number;
  /** What it is about, e.g. 'opinion.replied'; lets the inbox group and filter. */
  kind: string;
  title: string;
  body: string;
  /** A site-relative link ('/opinions/12'). */
  link?: string;
  /** Defaults to the in-site inbox only. */
  channels?: Channel[];
}

export interface NotifyOptions {
  /** The SMS adapter messages are queued for; from XS_SMS_ADAPTER when omitted. */
  smsAdapter?: string;
}

export interface NotifyResult {
  notificationId: number | null;
  smsId: number | null;
  emailQueued: boolean;
}

const SMS_MAX = 300;

/**
 * Notifies a person on the channels asked for, inside the caller's transaction (the
 * outbox): the in-site notice is written, and SMS and e-mail are queued as jobs that exist
 * only if the change that caused them commits. A channel the person has no address for
 * (no phone, no e-mail) is left out; e-mail is left out when no SMTP server is configured.
 */
export async function notify(db: Executor, n: Notice, opts: NotifyOptions = {}): Promise<NotifyResult> {
  const channels = new Set(n.channels ?? ['site']);
  const result: NotifyResult = { notificationId: null, smsId: null, emailQueued: false };
  const now = new Date().toISOString();
  if (channels.has('site')) {
    const row = await db.insertInto('notifications').values({
      user_id: n.userId, kind: n.kind, title: n.title, body: n.body, link: n.link ?? null, created_at: now, read_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    result.notificationId = row.id;
  }
  if (!channels.has('sms') && !channels.has('email')) return result;
  const pii = await db.selectFrom('user_pii').select(['phone', 'email']).where('user_id', '=', n.userId).executeTakeFirst();
  if (channels.has('sms') && pii?.phone) {
    const text = `${n.title}：${n.body}`;
    const adapter = opts.smsAdapter ?? (process.env.XS_SMS_ADAPTER === 'http' ? 'http' : 'log');
    result.smsId = await queueSms(db, pii.phone, text.length > SMS_MAX ? `${text.slice(0, SMS_MAX - 1)}…` : text, adapter);
  }
  if (channels.has('email') && pii?.email && smtpUrl()) {
    // The address is looked up when the job runs, so an erasure before then is respected.
    await enqueueJob(db, { kind: EMAIL_JOB, payload: { userId: n.userId, subject: n.title, text: n.link ? `${n.body}\n\n${n.link}` : n.body } });
    result.emailQueued = true;
  }
  return result;
}
