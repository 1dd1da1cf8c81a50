import type { Executor } from '../../db/database.js';
import type { ConsultationRow } from './access.js';
import { type NoticeView, noticesOf } from './community-notice-service.js';
import { type EscalationItem, ofConsultation } from './escalation-queries.js';

// What a consultation's public page shows of the grassroots linkage: its notices (公示) and
// what its council escalated from it. Attached to the page's data by public-service.

export interface GrassrootsView { notices: NoticeView[]; escalations: EscalationItem[] }

export async function grassrootsOf(db: Executor, c: Pick<ConsultationRow, 'id' | 'track'>): Promise<GrassrootsView> {
  const [notices, escalations] = await Promise.all([c.track === 'community' ? noticesOf(db, c.id) : [], ofConsultation(db, c.id)]);
  return { notices, escalations };
}
