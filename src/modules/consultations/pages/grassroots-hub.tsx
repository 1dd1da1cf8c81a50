import type { ConsultationStage } from '../../../db/schema.js';
import { Pagination } from '../../../web/components/pagination.js';
import { usePage } from '../../../web/page-context.js';
import { AdminLayout } from './admin-home.js';
import { stageLabel } from './parts.js';

// The organisers' way into the grassroots linkage: escalations both ways, the community
// consultations they hold (to publish notices and escalate from), liaison points.

export interface HubView {
  canEscalate: boolean; liaisonAdmin: boolean; sourceIds: number[];
  consultations: { page: number; pages: number; items: Array<{ id: number; title: string; stage: ConsultationStage; lead_body_id: number }> };
}

export function GrassrootsHubPage({ v }: { v: HubView }) {
  const { t } = usePage();
  const g = t.grassroots;
  return (
    <AdminLayout title={g.hubTitle}>
      <p>{g.hubLead}</p>
      <ul>
        {v.canEscalate && <li><a href="/admin/consultations/escalations/new">{g.newEscalation}</a></li>}
        {v.canEscalate && <li><a href="/admin/consultations/escalations/sent">{g.sentTitle}</a></li>}
        <li><a href="/admin/consultations/escalations/inbox">{g.inboxTitle}</a></li>
        {v.liaisonAdmin && <li><a href="/admin/consultations/liaisons">{g.liaisonsTitle}</a></li>}
        <li><a href="/consultations/notices">{g.communityNoticesLink}</a></li>
      </ul>
      <h2>{g.ourCommunityConsultations}</h2>
      {v.consultations.items.length === 0 ? <p>{g.noOurConsultations}</p> : (
        <ul class="xs-list">{v.consultations.items.map((c) => (
          <li key={c.id}>
            <a class="xs-list__title" href={`/admin/consultations/${c.id}`}>{c.title}</a>
            <span class="xs-list__meta"> {stageLabel(t.consultations, c.stage)}</span>
            <div>
              <a href={`/admin/consultations/${c.id}/notices`} aria-label={g.labelled(g.manageNotices, c.title)}>{g.manageNotices}</a>
              {v.sourceIds.includes(c.lead_body_id) && <>{' · '}<a href={`/admin/consultations/escalations/new?from=${c.lead_body_id}&consultation=${c.id}`} aria-label={g.labelled(g.newEscalation, c.title)}>{g.newEscalation}</a></>}
            </div>
          </li>
        ))}</ul>
      )}
      <Pagination page={v.consultations.page} pages={v.consultations.pages} baseUrl="/admin/consultations/grassroots" query={{}} />
    </AdminLayout>
  );
}
