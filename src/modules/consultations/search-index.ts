import type { Executor } from '../../db/database.js';
import { indexDocument, removeDocument } from '../../platform/search/index.js';

// A public consultation is found by site search: its summary and agenda, and once
// published its outcome report and recommendations. Call inside the change's transaction.

export async function indexConsultation(trx: Executor, id: number): Promise<void> {
  const c = await trx.selectFrom('consultations').select(['title', 'summary', 'agenda', 'is_public', 'created_at']).where('id', '=', id).executeTakeFirst();
  if (!c || c.is_public !== 1) {
    await removeDocument(trx, 'consultation', id);
    return;
  }
  const outcome = await trx.selectFrom('consultation_outcomes').select(['report_md', 'status']).where('consultation_id', '=', id).executeTakeFirst();
  const recs = outcome?.status === 'published'
    ? await trx.selectFrom('consultation_recommendations').select('text').where('consultation_id', '=', id).orderBy('number').execute()
    : [];
  const text = [c.summary, c.agenda, outcome?.status === 'published' ? outcome.report_md : '', ...recs.map((r) => r.text)].filter(Boolean).join('\n');
  await indexDocument(trx, { docType: 'consultation', docId: id, title: c.title, text, url: `/consultations/${id}`, publishedAt: c.created_at });
}
