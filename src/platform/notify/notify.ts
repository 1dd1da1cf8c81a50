import type { Executor } from '../../db/database.js';
import { preparedList } from '../../db/prepared-list.js';
import { enqueueJob, enqueueJobs } from '../jobs/enqueue.js';
import { queueSms, queueSmsMany } from '../sms/queue.js';
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
    result.smsId = await queueSms(db, pii.phone, smsText(n), smsAdapter(opts));
  }
  if (channels.has('email') && pii?.email && smtpUrl()) {
    await enqueueJob(db, emailJob(n));
    result.emailQueued = true;
  }
  return result;
}

/** A person's phone and e-mail as `user_pii` holds them (a caller that has read them passes them on). */
export interface Contact { phone: string | null; email: string | null }

/**
 * Several notices with the same rules as `notify`, in as few statements as their channels
 * need (one insert for all in-site notices, one read of the addresses not passed in
 * `contacts`, one insert each for text messages and their jobs, one for e-mail jobs).
 */
export async function notifyAll(db: Executor, notices: Notice[], opts: NotifyOptions & { contacts?: ReadonlyMap<number, Contact> } = {}): Promise<void> {
  const site = notices.filter((n) => (n.channels ?? ['site']).includes('site'));
  if (site.length) {
    const now = new Date().toISOString();
    await insertNotices.execute(db, site.map((n) => [n.userId, n.kind, n.title, n.body, n.link ?? null, now]));
  }
  const outward = notices.filter((n) => n.channels?.includes('sms') || n.channels?.includes('email'));
  if (!outward.length) return;
  const contacts = new Map(opts.contacts);
  const unknown = [...new Set(outward.map((n) => n.userId).filter((id) => !contacts.has(id)))];
  if (unknown.length) {
    for (const r of await contactsOf.execute(db, unknown.map((id) => [id]))) contacts.set(r.user_id, r);
  }
  const texts = outward.flatMap((n) => {
    const phone = n.channels?.includes('sms') ? contacts.get(n.userId)?.phone : null;
    return phone ? [{ phone, text: smsText(n) }] : [];
  });
  await queueSmsMany(db, texts, smsAdapter(opts));
  const mails = outward.filter((n) => n.channels?.includes('email') && contacts.get(n.userId)?.email);
  if (mails.length && smtpUrl()) await enqueueJobs(db, mails.map(emailJob));
}

const insertNotices = preparedList(6, (db, rows: [userId: number, kind: string, title: string, body: string, link: string | null, createdAt: string][]) =>
  db.insertInto('notifications').values(rows.map((r) => ({
    user_id: r[0], kind: r[1], title: r[2], body: r[3], link: r[4], created_at: r[5], read_at: null,
  }))));

/** Phones and e-mail addresses of people (those with a `user_pii` row). */
export const contactsOf = preparedList(1, (db, ids: [userId: number][]) =>
  db.selectFrom('user_pii').select(['user_id', 'phone', 'email']).where('user_id', 'in', ids.map((r) => r[0])));

function smsText(n: Notice): string {
  const text = `${n.title}：${n.body}`;
  return text.length > SMS_MAX ? `${text.slice(0, SMS_MAX - 1)}…` : text;
}

const smsAdapter = (opts: NotifyOptions): string => opts.smsAdapter ?? (process.env.XS_SMS_ADAPTER === 'http' ? 'http' : 'log');

// The address is looked up when the job runs, so an erasure before then is respected.
const emailJob = (n: Notice) => ({ kind: EMAIL_JOB, payload: { userId: n.userId, subject: n.title, text: n.link ? `${n.body}\n\n${n.link}` : n.body } });
