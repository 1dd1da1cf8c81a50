import type { ComponentChildren } from 'preact';
import type { FieldIssue } from '../../../platform/errors.js';
import { ErrorSummary } from '../../../web/components/error-summary.js';
import { Pagination } from '../../../web/components/pagination.js';
import { TableScroll } from '../../../web/components/table-scroll.js';
import { usePage } from '../../../web/page-context.js';
import { SectionLayout } from '../../content/shared/breadcrumbs.js';
import type { ManagedConsultationItem } from '../admin-queries.js';
import { Notice, formLabel, showDate, showDateTime, stageLabel } from './parts.js';

// The organisers' area: everything their bodies hold, and the way to each editor.

export function AdminLayout({ title, trail, hasErrors, issues, notice, children }: {
  title: string; trail?: { href: string; label: string }[]; hasErrors?: boolean; issues?: FieldIssue[]; notice?: string | null; children: ComponentChildren;
}) {
  const { t } = usePage();
  const m = t.consultations;
  return (
    <SectionLayout home={{ href: '/admin/consultations', label: m.adminTitle }} title={title} trail={trail} hasErrors={hasErrors ?? Boolean(issues?.length)}>
      <ErrorSummary issues={issues} />
      <Notice text={notice} />
      {children}
    </SectionLayout>
  );
}

export interface AdminHomeProps {
  consultations: ManagedConsultationItem[]; total: number; page: number; pages: number;
  calls: Array<{ id: number; title: string; opens_on: string; closes_on: string; published: number; closed_at: string | null }>;
  plans: Array<{ id: number; title: string; year: number; status: 'draft' | 'published'; body_name: string }>;
}

export function AdminHomePage({ consultations, total, page, pages, calls, plans }: AdminHomeProps) {
  const { t } = usePage();
  const m = t.consultations;
  return (
    <AdminLayout title={m.adminTitle}>
      <p>
        <a class="xs-button" href="/admin/consultations/new">{m.newConsultation}</a>{' '}
        <a class="xs-button xs-button--secondary" href="/admin/consultations/calls/new">{m.newCall}</a>{' '}
        <a class="xs-button xs-button--secondary" href="/admin/consultations/plans/new">{m.newPlan}</a>
      </p>
      <p><a href="/admin/consultations/grassroots">{t.grassroots.hubLink}</a></p>
      <h2>{m.consultationsHeading(total)}</h2>
      {consultations.length === 0 ? <p>{m.noneFound}</p> : (
        <TableScroll>
          <table class="xs-table">
            <thead><tr><th scope="col">{m.fTitle}</th><th scope="col">{m.fForm}</th><th scope="col">{m.fStage}</th><th scope="col">{m.when}</th><th scope="col">{m.registrationTitle}</th></tr></thead>
            <tbody>{consultations.map((c) => (
              <tr key={c.id}>
                <td><a href={`/admin/consultations/${c.id}`}>{c.title}</a>{c.is_public ? '' : ` （${m.notPublic}）`}</td>
                <td>{formLabel(m, c.form)}</td><td>{stageLabel(m, c.stage)}</td>
                <td>{c.starts_at ? showDateTime(c.starts_at) : m.dateToBeSet}</td>
                <td>{c.capacity === null ? '—' : `${c.seats_taken}/${c.capacity}`}</td>
              </tr>
            ))}</tbody>
          </table>
        </TableScroll>
      )}
      <Pagination page={page} pages={pages} baseUrl="/admin/consultations" query={{}} />
      <h2>{m.callsTitle}</h2>
      {calls.length === 0 ? <p>{m.noCalls}</p> : (
        <ul class="xs-list">{calls.map((c) => (
          <li key={c.id}><a href={`/admin/consultations/calls/${c.id}`}>{c.title}</a>
            <span class="xs-list__meta"> {m.callPeriod(c.opens_on, c.closes_on)}{c.published ? '' : ` · ${m.cstate_draft}`}{c.closed_at ? ` · ${m.closedOn(showDate(c.closed_at))}` : ''}</span></li>
        ))}</ul>
      )}
      <h2>{m.plansTitle}</h2>
      {plans.length === 0 ? <p>{m.noPlans}</p> : (
        <ul class="xs-list">{plans.map((p) => (
          <li key={p.id}><a href={`/admin/consultations/plans/${p.id}`}>{p.year} {p.title}</a>
            <span class="xs-list__meta"> {p.body_name} · {p.status === 'published' ? m.planPublished : m.planDraft}</span></li>
        ))}</ul>
      )}
    </AdminLayout>
  );
}
