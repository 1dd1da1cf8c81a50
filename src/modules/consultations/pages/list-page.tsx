import type { ConsultationStage } from '../../../db/schema.js';
import { Pagination } from '../../../web/components/pagination.js';
import { usePage } from '../../../web/page-context.js';
import { ALL_STAGES, FORMS } from '../model.js';
import type { ConsultationSummary, ListFilters, ListOptions } from '../queries.js';
import { PublicLayout, formLabel, modeLabel, named, showDateTime, stageLabel } from './parts.js';

export interface ListPageProps { filters: ListFilters; options: ListOptions; items: ConsultationSummary[]; total: number; page: number; pages: number }

export function ListPage({ filters, options, items, total, page, pages }: ListPageProps) {
  const { t, locale } = usePage();
  const m = t.consultations;
  const sel = (id: string, label: string, name: string, all: string, opts: { value: string; label: string }[], current: string) => (
    <div class="xs-field">
      <label class="xs-label" for={id}>{label}</label>
      <select class="xs-select" id={id} name={name}>
        <option value="">{all}</option>
        {opts.map((o) => <option key={o.value} value={o.value} selected={o.value === current}>{o.label}</option>)}
      </select>
    </div>
  );
  return (
    <PublicLayout title={m.listTitle}>
      <p class="xs-lead">{m.listLead}</p>
      <p><a href="/consultations/plans">{m.plansTitle}</a> · <a href="/consultations/calls">{m.callsTitle}</a></p>
      <form method="get" action="/consultations" class="xs-filters">
        {sel('f-form', m.fForm, 'form', m.allForms, FORMS.map((f) => ({ value: f, label: formLabel(m, f) })), filters.form ?? '')}
        {sel('f-body', m.fBodyFilter, 'body', m.allBodies, options.bodies.map((b) => ({ value: String(b.id), label: named(b, locale) })), filters.body ? String(filters.body) : '')}
        {sel('f-year', m.fYear, 'year', m.allYears, options.years.map((y) => ({ value: String(y), label: String(y) })), filters.year ? String(filters.year) : '')}
        {sel('f-stage', m.fStage, 'stage', m.allStages, ALL_STAGES.map((s: ConsultationStage) => ({ value: s, label: stageLabel(m, s) })), filters.stage ?? '')}
        <div class="xs-field"><button type="submit" class="xs-button">{m.applyFilter}</button></div>
      </form>
      <p class="xs-muted" role="status">{m.count(total)}</p>
      {items.length === 0 ? <p>{m.noneFound}</p> : (
        <ul class="xs-list">
          {items.map((c) => (
            <li key={c.id}>
              <a class="xs-list__title" href={`/consultations/${c.id}`}>{c.title}</a>
              <div class="xs-list__meta">
                <span class="xs-tag">{formLabel(m, c.form)}</span>
                <span class="xs-tag">{stageLabel(m, c.stage)}</span>
                {' '}{named(c.leadBody, locale)} · {c.startsAt ? showDateTime(c.startsAt) : m.dateToBeSet} · {modeLabel(m, c.mode)}
              </div>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} baseUrl="/consultations" query={{ form: filters.form, body: filters.body, year: filters.year, stage: filters.stage }} />
    </PublicLayout>
  );
}
