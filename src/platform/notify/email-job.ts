import { registerJobHandler } from '../jobs/registry.js';
import { smtpFrom, smtpUrl, transportFor } from './smtp.js';

export const EMAIL_JOB = 'email.send';

interface EmailPayload { userId: number; subject: string; text: string }

// The SMTP conversation happens before the job's transaction; the transaction only closes
// the job. A failure is retried with backoff; after the last attempt the job is failed and
// its last_error says why.
registerJobHandler(EMAIL_JOB, async (_ctx, _payload, _trx, job) => {
  if (job.prepareError !== undefined) throw job.prepareError;
}, {
  async beforeTransaction(ctx, payload: EmailPayload, job) {
    const url = smtpUrl();
    if (!url) return null;
    const pii = await ctx.database.db.selectFrom('user_pii').select('email').where('user_id', '=', Number(payload.userId)).executeTakeFirst();
    if (!pii?.email) return null; // erased since
    const info = await transportFor(url).sendMail({ from: smtpFrom(), to: pii.email, subject: String(payload.subject), text: String(payload.text) });
    job.log.info({ jobId: job.id, messageId: info.messageId }, 'e-mail sent');
    return info.messageId;
  },
});
