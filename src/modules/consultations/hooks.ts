import type { Trx } from '../../db/database.js';
import { registerErasureHook } from '../privacy/erasure.js';

// Erasure (PIPL): what a person wrote here loses its link to them and any text that could
// identify them. A topic already in a plan keeps its title (the plan item is public record);
// supports stay counted (they hold nothing but an account id).

const REDACTED = '[已删除]';

export async function eraseConsultationContributions(trx: Trx, userId: number): Promise<void> {
  await trx.updateTable('consultation_topics').set({ title: REDACTED, reason: REDACTED, proposer_id: null, status: 'hidden' })
    .where('proposer_id', '=', userId).where('status', '!=', 'selected').execute();
  await trx.updateTable('consultation_topics').set({ reason: REDACTED, proposer_id: null }).where('proposer_id', '=', userId).execute();
  await trx.updateTable('topic_comments').set({ body: REDACTED, author_id: null }).where('author_id', '=', userId).execute();
  await trx.updateTable('consultation_registrations').set({ note: null }).where('user_id', '=', userId).execute();
  await trx.updateTable('consultation_questions').set({ body: REDACTED, author_id: null }).where('author_id', '=', userId).execute();
  await trx.updateTable('consultation_evaluations').set({ comment: null }).where('user_id', '=', userId).execute();
  await trx.updateTable('recommendation_evaluations').set({ comment: null }).where('user_id', '=', userId).execute();
}
registerErasureHook(eraseConsultationContributions);
