import type { FieldIssue } from '../../../platform/errors.js';
import { type FormState, PostForm, Select, TextArea, TextInput } from '../../../web/components/fields.js';
import { Pagination } from '../../../web/components/pagination.js';
import { TableScroll } from '../../../web/components/table-scroll.js';
import { usePage } from '../../../web/page-context.js';
import type { EscalationItem, EscalationStatus } from '../escalation-queries.js';
import { ESCALATION_STATUSES } from '../escalation-queries.js';
import { RESPONSE_ACTIONS, RESULT_CHOICES, type SourceBody } from '../escalation-service.js';
import { FORMS } from '../model.js';
import { AdminLayout } from './admin-home.js';
import { EscalationResult, escalationStatusLabel } from './grassroots-parts.js';
import { Paragraphs, formLabel, named, showDate } from './parts.js';

// The escalation pages: the form, the council's list, the receiver's inbox and one escalation
// with the receiver's answer form.

const HUB = '/admin/consultations/grassroots';
type Form = FormState & { issues?: FieldIssue[] };

export function EscalationFormPage({ sources, source, consultations, topics, form }: {
  sources: SourceBody[]; source: SourceBody | null; consultations: Array<{ id: number; title: string }>; topics: Array<{ id: number; title: string }>; form?: Form;
}) {
  const { t, locale } = usePage();
  const g = t.grassroots;
  return (
    <AdminLayout title={g.escalateTitle} trail={[{ href: HUB, label: g.hubTitle }]} issues={form?.issues}>
      <p>{g.escalateLead}</p>
      {!source ? (
        <>
          <p>{g.chooseSource}</p>
          <ul>{sources.map((s) => <li key={s.id}><a href={`/admin/consultations/escalations/new?from=${s.id}`}>{named(s, locale)}</a></li>)}</ul>
        </>
      ) : (
        <PostForm action="/admin/consultations/escalations">
          <input type="hidden" name="fromBodyId" value={String(source.id)} />
          <p>{g.labelled(g.fFrom, named(source, locale))}</p>
          <Select name="toBodyId" label={g.fTo} hint={g.toHint} form={form} required options={source.ancestors.map((a) => ({ value: a.id, label: named(a, locale) }))} />
          <Select name="consultationId" label={g.fConsultation} form={form} blank={g.noConsultation} options={consultations.map((c) => ({ value: c.id, label: c.title }))} />
          {topics.length > 0 && <Select name="topicId" label={g.fTopic} form={form} blank={g.noConsultation} options={topics.map((x) => ({ value: x.id, label: x.title }))} />}
          <TextInput name="title" label={g.fEscTitle} form={form} maxLength={100} required />
          <TextArea name="description" label={g.fEscDescription} hint={g.escDescriptionHint} form={form} maxLength={2000} required />
          <button type="submit" class="xs-button">{g.sendEscalation}</button>
        </PostForm>
      )}
    </AdminLayout>
  );
}

function EscalationTable({ items, showFrom }: { items: EscalationItem[]; showFrom: boolean }) {
  const { t, locale } = usePage();
  const g = t.grassroots;
  if (!items.length) return <p>{g.noEscalations}</p>;
  return (
    <TableScroll>
      <table class="xs-table">
        <thead><tr>
          <th scope="col">{g.colTitle}</th>
          {showFrom ? <><th scope="col">{g.colFrom}</th><th scope="col">{g.colRegion}</th></> : <th scope="col">{g.colTo}</th>}
          <th scope="col">{g.colDate}</th><th scope="col">{g.colStatus}</th><th scope="col">{g.colResult}</th>
        </tr></thead>
        <tbody>{items.map((e) => (
          <tr key={e.id}>
            <td><a href={`/admin/consultations/escalations/${e.id}`}>{e.title}</a></td>
            {showFrom ? <><td>{named(e.from, locale)}</td><td>{e.from.region ? named(e.from.region, locale) : g.none}</td></> : <td>{named(e.to, locale)}</td>}
            <td>{showDate(e.createdAt)}</td>
            <td>{escalationStatusLabel(g, e.status)}</td>
            <td>{e.result ? (e.result.href ? <a href={e.result.href}>{e.result.label}</a> : e.result.label) : g.none}</td>
          </tr>
        ))}</tbody>
      </table>
    </TableScroll>
  );
}

export function SentPage({ items, page, pages, notice }: { items: EscalationItem[]; page: number; pages: number; notice?: string | null }) {
  const { t } = usePage();
  const g = t.grassroots;
  return (
    <AdminLayout title={g.sentTitle} trail={[{ href: HUB, label: g.hubTitle }]} notice={notice}>
      <p><a class="xs-button" href="/admin/consultations/escalations/new">{g.newEscalation}</a></p>
      <EscalationTable items={items} showFrom={false} />
      <Pagination page={page} pages={pages} baseUrl="/admin/consultations/escalations/sent" query={{}} />
    </AdminLayout>
  );
}

export function InboxPage({ items, page, pages, status }: { items: EscalationItem[]; page: number; pages: number; status: EscalationStatus | null }) {
  const { t } = usePage();
  const g = t.grassroots;
  return (
    <AdminLayout title={g.inboxTitle} trail={[{ href: HUB, label: g.hubTitle }]}>
      <form method="get" action="/admin/consultations/escalations/inbox" class="xs-filter">
        <Select name="status" label={g.fStatus} blank={g.allStatuses} form={{ values: { status: status ?? '' } }}
          options={ESCALATION_STATUSES.map((s) => ({ value: s, label: escalationStatusLabel(g, s) }))} />
        <button type="submit" class="xs-button xs-button--secondary">{g.filter}</button>
      </form>
      <EscalationTable items={items} showFrom />
      <Pagination page={page} pages={pages} baseUrl="/admin/consultations/escalations/inbox" query={{ status }} />
    </AdminLayout>
  );
}

export interface RespondOptions {
  calls: Array<{ id: number; title: string }>;
  departments: Array<{ id: number; name: string; nameEn: string | null }>;
}

export function EscalationPage({ e, canRespond, options, form, notice }: {
  e: EscalationItem; canRespond: boolean; options: RespondOptions; form?: Form; notice?: string | null;
}) {
  const { t, locale } = usePage();
  const g = t.grassroots;
  const open = e.status === 'sent' || (e.status === 'accepted' && !e.result);
  return (
    <AdminLayout title={g.escalationTitle(e.title)} trail={[{ href: HUB, label: g.hubTitle }]} issues={form?.issues} notice={notice}>
      <dl class="xs-summary">
        <dt>{g.cameFrom}</dt><dd>{named(e.from, locale)}</dd>
        <dt>{g.region}</dt><dd>{e.from.region ? named(e.from.region, locale) : g.none}</dd>
        <dt>{g.fTo}</dt><dd>{named(e.to, locale)}</dd>
        {e.topic && <><dt>{g.fromTopic}</dt><dd><a href={`/consultations/topics/${e.topic.id}`}>{e.topic.title}</a></dd></>}
        {e.consultation && <><dt>{g.fromConsultation}</dt><dd><a href={e.consultation.isPublic ? `/consultations/${e.consultation.id}` : `/admin/consultations/${e.consultation.id}`}>{e.consultation.title}</a></dd></>}
        <dt>{g.colDate}</dt><dd>{showDate(e.createdAt)}</dd>
        <dt>{g.colStatus}</dt><dd>{escalationStatusLabel(g, e.status)}{e.respondedAt ? `（${g.respondedOn(showDate(e.respondedAt))}）` : ''}</dd>
      </dl>
      <h2>{g.fEscDescription}</h2>
      <Paragraphs text={e.body} />
      {e.response && <><h2>{g.fResponse}</h2><Paragraphs text={e.response} /></>}
      <EscalationResult result={e.result} />
      {canRespond && open && (
        <section aria-labelledby="respond-title" class="xs-panel">
          <h2 id="respond-title">{g.respondTitle}</h2>
          {e.status === 'accepted' && <p>{g.canStillLink}</p>}
          <PostForm action={`/admin/consultations/escalations/${e.id}/respond`}>
            <Select name="action" label={g.fAction} form={form} required
              options={RESPONSE_ACTIONS.filter((a) => e.status === 'sent' || a === 'accept').map((a) => ({ value: a, label: g[`action_${a}`] }))} />
            <TextArea name="response" label={g.fResponse} hint={g.responseHint} form={form} maxLength={5000} />
            <Select name="result" label={g.fResult} hint={g.resultHint} form={form} options={RESULT_CHOICES.map((r) => ({ value: r, label: g[`result_${r}`] }))} />
            <Select name="callId" label={g.fCall} hint={g.callHint} form={form} blank={g.none} options={options.calls.map((c) => ({ value: c.id, label: c.title }))} />
            <Select name="form" label={g.fForm} form={form} options={FORMS.filter((f) => f !== 'community').map((f) => ({ value: f, label: formLabel(t.consultations, f) }))} />
            <Select name="departmentId" label={g.fDepartment} form={form} blank={g.none} options={options.departments.map((d) => ({ value: d.id, label: named(d, locale) }))} />
            <TextInput name="dueDays" label={g.fDueDays} hint={g.dueDaysHint} form={form} inputmode="numeric" maxLength={3} />
            <TextInput name="resultId" label={g.fResultId} hint={g.resultIdHint} form={form} inputmode="numeric" maxLength={10} />
            <button type="submit" class="xs-button">{g.respond}</button>
          </PostForm>
        </section>
      )}
    </AdminLayout>
  );
}
