import { registerJobHandler } from '../jobs/registry.js';
import { SmsSendError, smsAdapterFor } from './adapters.js';
import { SMS_JOB } from './queue.js';

// Sends a queued message (sms_messages: queued → sent | failed). The gateway is called
// before the job's transaction, so no connection waits on it; the transaction records the
// outcome. A retryable failure rethrows, so the worker retries with backoff; on the last
// attempt, or when retrying cannot help, the message is marked failed and the job ends.
// A message is sent at least once: the gateway gets `messageId` to drop duplicates.

function messageIdOf(payload: { messageId?: unknown } | null): number {
  const id = Number(payload?.messageId);
  if (!Number.isInteger(id)) throw new SmsSendError('sms.send job without a message id', false);
  return id;
}

registerJobHandler(SMS_JOB, async (_ctx, payload, trx, job) => {
  const id = messageIdOf(payload);
  const msg = await trx.selectFrom('sms_messages').select(['id', 'status']).where('id', '=', id).executeTakeFirst();
  if (!msg || msg.status !== 'queued') return; // erased, or already handled
  const err = job.prepareError;
  if (err === undefined) {
    const sent = job.prepared as { providerRef: string | null } | null;
    if (!sent) return;
    await trx.updateTable('sms_messages')
      .set({ status: 'sent', provider_ref: sent.providerRef, error: null, sent_at: new Date().toISOString() })
      .where('id', '=', id).execute();
    return;
  }
  const retryable = !(err instanceof SmsSendError) || err.retryable;
  if (retryable && job.attempt < job.maxAttempts) throw err;
  await trx.updateTable('sms_messages')
    .set({ status: 'failed', error: (err instanceof Error ? err.message : String(err)).slice(0, 500) })
    .where('id', '=', id).execute();
}, {
  async beforeTransaction(ctx, payload, job) {
    const id = messageIdOf(payload);
    const msg = await ctx.database.db.selectFrom('sms_messages').select(['id', 'phone', 'text', 'adapter', 'status'])
      .where('id', '=', id).executeTakeFirst();
    if (!msg || msg.status !== 'queued') return null;
    return smsAdapterFor(msg.adapter, ctx.config, job.log).send({ messageId: msg.id, phone: msg.phone, text: msg.text });
  },
});
