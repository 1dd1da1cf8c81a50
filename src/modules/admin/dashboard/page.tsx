import { usePage } from '../../../web/page-context.js';
import { AdminLayout } from '../components.js';
import type { Dashboard } from './service.js';

export function DashboardPage({ d }: { d: Dashboard }) {
  const { t } = usePage();
  const m = t.admin;
  const s = t.adminStructure;
  const card = (href: string, title: string, meta: string | null) => (
    <li class="xs-card" key={href}>
      <p class="xs-card__title"><a href={href}>{title}</a></p>
      {meta && <p class="xs-muted">{meta}</p>}
    </li>
  );
  return (
    <AdminLayout title={m.dashboardTitle}>
      <p class="xs-lead">{m.dashboardLead}</p>
      {d.structure && (<>
        <h2>{m.areaStructure}</h2>
        <ul class="xs-cards">
          {card('/admin/regions', s.regionsTitle, m.countOf(d.structure.regions))}
          {card('/admin/bodies', s.bodiesTitle, m.countOf(d.structure.bodies))}
          {card('/admin/sectors', s.sectorsTitle, m.countOf(d.structure.sectors))}
          {card('/admin/terms', s.termsTitle, m.countOf(d.structure.terms))}
        </ul>
      </>)}
      {d.users && (<>
        <h2>{m.areaPeople}</h2>
        <ul class="xs-cards">
          {card('/admin/users', m.users, m.countOf(d.users.users))}
          {card('/admin/import', m.importMembers, null)}
        </ul>
      </>)}
      {(d.content || d.privacy) && (<>
        <h2>{m.areaContent}</h2>
        <ul class="xs-cards">
          {d.content && card('/admin/content', m.content, null)}
          {d.privacy && card('/admin/privacy', m.privacy, m.countOf(d.privacy.pending))}
        </ul>
      </>)}
      {d.consultations && (<>
        <h2>{m.areaConsultations}</h2>
        <ul class="xs-cards">
          {card('/admin/consultations', m.consultations, m.consultationsMeta)}
          {card('/deliberations/manage', m.deliberations, m.deliberationsMeta)}
        </ul>
      </>)}
      {(d.tokens || d.outbox || d.opinionCategories) && (<>
        <h2>{m.areaOperations}</h2>
        <ul class="xs-cards">
          {d.tokens && card('/admin/tokens', m.tokens, m.activeTokens(d.tokens.active))}
          {d.outbox && card('/admin/outbox', m.outbox, `${m.pendingJobs(d.outbox.pending)} · ${m.failedJobs(d.outbox.failed)}`)}
          {d.opinionCategories && card('/admin/opinion-categories', t.opinionsHandler.categoriesTitle, null)}
        </ul>
      </>)}
    </AdminLayout>
  );
}
