import type { Executor } from '../../db/database.js';
import { preparedList } from '../../db/prepared-list.js';
import { enqueueJobs } from '../jobs/enqueue.js';

export const SMS_JOB = 'sms.send';

/**
 * Queues a text message in the caller's transaction; the worker hands it to the configured
 * adapter (log or HTTP gateway). Returns the message id.
 */
export async function queueSms(db: Executor, phone: string, text: string, adapter: string): Promise<number> {
  const [id] = await queueSmsMany(db, [{ phone, text }], adapter);
  return id!;
}

const insertMessages = preparedList(4, (db, rows: [phone: string, text: string, adapter: string, createdAt: string][]) =>
  db.insertInto('sms_messages').values(rows.map((r) => ({
    phone: r[0], text: r[1], adapter: r[2], status: 'queued', provider_ref: null, error: null, created_at: r[3], sent_at: null,
  }))).returning('id'));

/**
 * Several text messages in two statements (the messages, then their jobs). Returns their
 * ids in no particular order: each job names its own message.
 */
export async function queueSmsMany(db: Executor, messages: { phone: string; text: string }[], adapter: string): Promise<number[]> {
  if (!messages.length) return [];
  const now = new Date().toISOString();
  const rows = await insertMessages.execute(db, messages.map((m) => [m.phone, m.text, adapter, now]));
  await enqueueJobs(db, rows.map((r) => ({ kind: SMS_JOB, payload: { messageId: r.id } })));
  return rows.map((r) => r.id);
}
