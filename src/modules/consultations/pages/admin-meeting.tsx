import type { FieldIssue } from '../../../platform/errors.js';
import { PostForm, Select, TextArea, TextInput } from '../../../web/components/fields.js';
import { Pagination } from '../../../web/components/pagination.js';
import { TableScroll } from '../../../web/components/table-scroll.js';
import { usePage } from '../../../web/page-context.js';
import type { ConsultationRow } from '../access.js';
import type { RegistrationRow } from '../admin-queries.js';
import { MAX_RECOMMENDATIONS } from '../outcome-service.js';
import type { RecommendationView } from '../queries.js';
import { AdminLayout } from './admin-home.js';
import { Paragraphs, actionStatusLabel, named, registrationLabel, showDate, showDateTime } from './parts.js';

// The meeting's desk and record: registrations with their codes, sign-in by code, and the
// outcome (minutes, report, numbered recommendations) with its publication.

const trailOf = (c: ConsultationRow) => [{ href: `/admin/consultations/${c.id}`, label: c.title }];

export function RegistrationsPage({ c, items, total, page, pages }: { c: ConsultationRow; items: RegistrationRow[]; total: number; page: number; pages: number }) {
  const { t } = usePage();
  const m = t.consultations;
  return (
    <AdminLayout title={m.registrationsTitle} trail={trailOf(c)}>
      <p>{m.seats(c.seats_taken, c.capacity ?? 0)} {m.registrationsTotal(total)}</p>
      <p><a href={`/admin/consultations/${c.id}/checkin`}>{m.checkinTitle}</a></p>
      {items.length === 0 ? <p>{m.noRegistrations}</p> : (
        <TableScroll>
          <table class="xs-table">
            <thead><tr><th scope="col">{m.colName}</th><th scope="col">{m.colStatus}</th><th scope="col">{m.fCheckinCode}</th><th scope="col">{m.colCheckedIn}</th><th scope="col">{m.fRegistrationNote}</th></tr></thead>
            <tbody>{items.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td><td>{registrationLabel(m, r.status)}</td><td>{r.code ?? '—'}</td>
                <td>{r.checkedInAt ? showDateTime(r.checkedInAt) : '—'}</td><td>{r.note ?? ''}</td>
              </tr>
            ))}</tbody>
          </table>
        </TableScroll>
      )}
      <Pagination page={page} pages={pages} baseUrl={`/admin/consultations/${c.id}/registrations`} query={{}} />
    </AdminLayout>
  );
}

export function CheckinPage({ c, checkedIn, notice, form }: { c: ConsultationRow; checkedIn: number; notice?: string | null; form?: { values: Record<string, unknown>; issues: FieldIssue[] } }) {
  const { t } = usePage();
  const m = t.consultations;
  return (
    <AdminLayout title={m.checkinTitle} trail={trailOf(c)} issues={form?.issues} notice={notice}>
      <p>{m.checkinLead}</p>
      <p role="status">{m.checkedInCount(checkedIn, c.seats_taken)}</p>
      <PostForm action={`/admin/consultations/${c.id}/checkin`}>
        <TextInput name="code" label={m.fCheckinCode} hint={m.codeFormatHint} inputmode="numeric" autocomplete="off" maxLength={20} form={form} required />
        <button type="submit" class="xs-button">{m.checkinButton}</button>
      </PostForm>
    </AdminLayout>
  );
}

export interface OutcomeProps {
  c: ConsultationRow; published: boolean; recommendations: RecommendationView[]; departments: Array<{ id: number; name: string; nameEn: string | null }>;
  form: { values: Record<string, unknown>; issues?: FieldIssue[] }; notice?: string | null;
}

export function OutcomePage({ c, published, recommendations, departments, form, notice }: OutcomeProps) {
  const { t, locale } = usePage();
  const m = t.consultations;
  if (published) {
    return (
      <AdminLayout title={m.outcomeTitle} trail={trailOf(c)} notice={notice}>
        <p>{m.outcomeIsPublished} <a href={`/consultations/${c.id}#recs`}>{m.viewPublicPage}</a></p>
        <p><a href={`/consultations/${c.id}/outcome.docx`}>{t.consultationsOutcome.docxLink}</a></p>
        <ol class="xs-list">{recommendations.map((r) => (
          <li key={r.id}>
            <p class="xs-list__title">{m.recNumber(r.number)} {r.text}</p>
            <p class="xs-list__meta">{m.recDepartment(named(r.department, locale))} · {r.dueOn ? m.recDue(r.dueOn) : ''} {r.status && <span class="xs-tag">{actionStatusLabel(m, r.status)}</span>} {r.overdue && <span class="xs-tag">{m.overdue}</span>}</p>
            {r.answer && <Paragraphs text={r.answer} />}
          </li>
        ))}</ol>
      </AdminLayout>
    );
  }
  const used = Math.max(recommendations.length, ...Object.keys(form.values).map((k) => Number(/^text_(\d+)$/.exec(k)?.[1] ?? 0)));
  const rows = Math.min(MAX_RECOMMENDATIONS, Math.max(3, used + 2));
  return (
    <AdminLayout title={m.outcomeTitle} trail={trailOf(c)} issues={form.issues} notice={notice}>
      <PostForm action={`/admin/consultations/${c.id}/outcome`}>
        <TextArea name="report" label={m.fReport} hint={m.markdownHint} rows={10} maxLength={50_000} form={form} />
        <TextArea name="minutes" label={m.fMinutes} hint={m.markdownHint} rows={10} maxLength={50_000} form={form} />
        <h2>{m.recommendationsTitle}</h2>
        <p class="xs-hint">{m.recommendationsHint}</p>
        {Array.from({ length: rows }, (_, k) => k + 1).map((i) => (
          <fieldset key={i} class="xs-panel">
            <legend>{m.recNumber(i)}</legend>
            <TextArea name={`text_${i}`} label={m.fRecommendation} rows={3} maxLength={2000} form={form} />
            <Select name={`department_${i}`} label={m.fDepartment} blank="—" options={departments.map((d) => ({ value: d.id, label: named(d, locale) }))} form={form} />
            <TextInput name={`days_${i}`} label={m.fDueDays} hint={m.dueDaysHint} inputmode="numeric" maxLength={3} form={form} />
          </fieldset>
        ))}
        <button type="submit" class="xs-button xs-button--secondary">{m.saveDraft}</button>
      </PostForm>
      {recommendations.length > 0 && (
        <PostForm action={`/admin/consultations/${c.id}/outcome/publish`}>
          <p><a href={`/consultations/${c.id}/outcome.docx`}>{t.consultationsOutcome.docxDraftLink}</a></p>
          <p>{m.publishWarning(recommendations.length)}</p>
          <button type="submit" class="xs-button">{m.publishOutcome}</button>
        </PostForm>
      )}
      <p class="xs-muted">{m.lastSaved(showDate(c.updated_at))}</p>
    </AdminLayout>
  );
}
