import type { Trx } from '../../db/database.js';
import { removeDocument } from '../../platform/search/index.js';
import { appendEvent } from '../../platform/timeline/audit.js';
import { type ActionItemRow, registerActionSource } from '../actions/service.js';
import { registerErasureHook } from '../privacy/erasure.js';
import { loadOpinion } from './access.js';
import { notifyFollowers, recordReply, bodyName } from './handling.js';
import { formatTrackingCode } from './model.js';
import { handlerLink } from './notices.js';
import './router-store.js';
import './sla.js';

// How the voice channel hears from elsewhere: a department's updates on a forwarded
// opinion, and a sender's erasure request.

registerActionSource('opinion', {
  link: (item) => handlerLink(item.source_id),
  async onUpdate(trx, item: ActionItemRow, kind, text, actor) {
    const op = await loadOpinion(trx, item.source_id);
    const action = kind === 'progress' ? 'action_progress' : kind === 'answer' ? 'action_answered' : 'action_done';
    const now = new Date().toISOString();
    let entryId: number | null = null;
    // The department's answer is the reply the citizen rates (unless the opinion is no longer open).
    if (kind === 'answer' && (op.status === 'accepted' || op.status === 'replied')) {
      await recordReply(trx, op, text, actor.id, item.owner_body_id, now);
      entryId = (await trx.selectFrom('opinion_entries').select('id').where('opinion_id', '=', op.id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).id;
    } else {
      entryId = (await trx.insertInto('opinion_entries').values({
        opinion_id: op.id, kind: 'note', author_id: actor.id, author_body_id: item.owner_body_id, body: text, created_at: now,
      }).returning('id').executeTakeFirstOrThrow()).id;
    }
    await trx.updateTable('opinions').set({ updated_at: now }).where('id', '=', op.id).execute();
    await appendEvent(trx, { streamType: 'opinion', streamId: op.id, action, actorId: actor.id, data: { actionItemId: item.id, departmentId: item.owner_body_id, entryId } });
    const dept = await bodyName(trx, item.owner_body_id);
    const code = formatTrackingCode(op.tracking_code);
    await notifyFollowers(trx, op, (t) => t.opinions.nChangedTitle(code), kind === 'answer' ? (t) => t.opinions.nReplied : (t) => t.opinions.nActionProgress(dept));
  },
});

/**
 * Erasure: the sender's opinions keep their handling record (dates, status, replies — the
 * public scorecard depends on them) but lose everything that could identify the sender:
 * the link to the account, the last four digits, and the texts the sender wrote.
 */
export async function eraseOpinionSender(trx: Trx, userId: number): Promise<void> {
  const ops = await trx.selectFrom('opinions').select(['id']).where('citizen_id', '=', userId).execute();
  if (ops.length === 0) return;
  const ids = ops.map((o) => o.id);
  const redacted = '[已删除]';
  await trx.updateTable('opinions').set({ citizen_id: null, phone_last4: null, title: redacted, body: redacted, public_visible: 0 })
    .where('id', 'in', ids).execute();
  await trx.updateTable('opinion_entries').set({ body: redacted }).where('opinion_id', 'in', ids).where('kind', '=', 'addition').execute();
  await trx.updateTable('opinion_ratings').set({ comment: null }).where('opinion_id', 'in', ids).execute();
  for (const id of ids) {
    await removeDocument(trx, 'opinion', id);
    await appendEvent(trx, { streamType: 'opinion', streamId: id, action: 'erased', actorId: null, data: {} });
  }
}
registerErasureHook(eraseOpinionSender);
