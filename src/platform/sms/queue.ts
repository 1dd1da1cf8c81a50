import type { Executor } from '../../db/database.js';
import { enqueueJob } from '../jobs/enqueue.js';

export const SMS_JOB = 'sms.send';

/**
 * Queues a text message in the caller's transaction; the worker hands it to the configured
 * adapter (log or HTTP gateway). Returns the message id.
 */
export async function queueSms(db: Executor, phone: string, text: string, adapter: string): Promise<number> {
  const row = await db.insertInto('sms_messages').values({
    phone, text, adapter, status: 'queued', provider_ref: null, error: null, created_at: new Date().toISOString(), sent_at: null,
  }).returning('id').executeTakeFirstOrThrow();
  await enqueueJob(db, { kind: SMS_JOB, payload: { messageId: row.id } });
  return row.id;
}
