import type { FieldIssue } from '../../../platform/errors.js';
import { ErrorSummary } from '../../../web/components/error-summary.js';
import { PostForm, Select, TextArea, TextInput } from '../../../web/components/fields.js';
import { Pagination } from '../../../web/components/pagination.js';
import { usePage } from '../../../web/page-context.js';
import { showDate } from '../../content/shared/dates.js';
import { MODERATIONS, STATEMENT_MAX } from '../model.js';
import { type ListItem, type OwnerOption, PAGE_SIZE } from '../queries.js';
import { DeliberationLayout, Notice, moderationLabel, statusLabel } from './parts.js';

type Form = { values: Record<string, unknown>; issues: FieldIssue[] };

/** Deliberations as a list (the public one, or the organiser's with moderation links). */
export function DeliberationList({ items, manage }: { items: ListItem[]; manage?: boolean }) {
  const { t } = usePage();
  const m = t.deliberation;
  return (
    <ul class="xs-list">
      {items.map((d) => (
        <li key={d.id}>
          <a class="xs-list__title" href={manage ? `/deliberations/${d.id}/moderate` : `/deliberations/${d.id}`}>{d.title}</a>{' '}
          <span class="xs-tag">{statusLabel(m, d.status)}</span><br />
          <span class="xs-list__meta">{m.openedOn(showDate(d.createdAt))}{d.consultation ? ` · ${d.consultation.title}` : ''}</span>
        </li>
      ))}
    </ul>
  );
}

export function ListPage({ items, total, page }: { items: ListItem[]; total: number; page: number }) {
  const { t } = usePage();
  const m = t.deliberation;
  return (
    <DeliberationLayout title={m.listTitle}>
      <p class="xs-lead">{m.listLead}</p>
      {items.length === 0 ? <p>{m.listEmpty}</p> : <DeliberationList items={items} />}
      <Pagination page={page} pages={Math.max(1, Math.ceil(total / PAGE_SIZE))} baseUrl="/deliberations" query={{}} />
    </DeliberationLayout>
  );
}

export function ManagePage({ items, total, page, canCreate }: { items: ListItem[]; total: number; page: number; canCreate: boolean }) {
  const { t } = usePage();
  const m = t.deliberation;
  return (
    <DeliberationLayout title={m.manageTitle}>
      {canCreate && <p><a class="xs-button" href="/deliberations/new">{m.newLink}</a> <a class="xs-button xs-button--secondary" href="/deliberations/import">{m.importLink}</a></p>}
      {items.length === 0 ? <p>{m.manageEmpty}</p> : <DeliberationList items={items} manage />}
      <Pagination page={page} pages={Math.max(1, Math.ceil(total / PAGE_SIZE))} baseUrl="/deliberations/manage" query={{}} />
    </DeliberationLayout>
  );
}

function OwnerSelect({ owners, form }: { owners: OwnerOption[]; form?: Form }) {
  const { t, locale } = usePage();
  const m = t.deliberation;
  return (
    <Select name="owner" label={m.fOwner} hint={m.ownerHint} form={form} blank={m.choose}
      options={owners.map((o) => ({ value: o.value, label: o.kind === 'consultation' ? m.ownerConsultation(o.label) : m.ownerBody((locale === 'en' && o.labelEn) || o.label) }))} />
  );
}

export function NewPage({ owners, form }: { owners: OwnerOption[]; form?: Form }) {
  const { t } = usePage();
  const m = t.deliberation;
  const values = form ?? { values: { moderation: 'strict', maxGroups: '5' }, issues: [] };
  return (
    <DeliberationLayout title={m.newTitle} trail={[{ href: '/deliberations/manage', label: m.manageTitle }]} hasErrors={Boolean(form?.issues.length)}>
      <ErrorSummary issues={form?.issues} />
      {owners.length === 0 ? <p>{m.noOwners}</p> : (
        <PostForm action="/deliberations">
          <OwnerSelect owners={owners} form={values} />
          <TextInput name="title" label={m.fTitle} maxLength={100} form={values} />
          <TextArea name="description" label={m.fDescription} rows={4} maxLength={2000} form={values} />
          <Select name="moderation" label={m.fModeration} hint={m.moderationHint} form={values} options={MODERATIONS.map((v) => ({ value: v, label: moderationLabel(m, v) }))} />
          <TextInput name="maxGroups" label={m.fMaxGroups} hint={m.maxGroupsHint} inputmode="numeric" maxLength={1} form={values} />
          <TextArea name="seeds" label={m.fSeeds} hint={m.seedsHint(STATEMENT_MAX)} rows={5} form={values} />
          <button type="submit" class="xs-button">{m.newButton}</button>
        </PostForm>
      )}
    </DeliberationLayout>
  );
}

export function ImportPage({ owners, form, notice }: { owners: OwnerOption[]; form?: Form; notice?: string | null }) {
  const { t } = usePage();
  const m = t.deliberation;
  const files: Array<[string, string]> = [['comments', m.fComments], ['votes', m.fVotes], ['participantsVotes', m.fParticipantsVotes], ['summary', m.fSummary]];
  return (
    <DeliberationLayout title={m.importTitle} trail={[{ href: '/deliberations/manage', label: m.manageTitle }]} hasErrors={Boolean(form?.issues.length)}>
      <ErrorSummary issues={form?.issues} />
      <Notice text={notice} />
      <p>{m.importLead}</p>
      {owners.length === 0 ? <p>{m.noOwners}</p> : (
        <PostForm action="/deliberations/import" multipart>
          <OwnerSelect owners={owners} form={form} />
          {files.map(([name, label]) => {
            const issue = form?.issues.find((i) => i.field === name);
            return (
              <div key={name} class={`xs-field${issue ? ' xs-field--error' : ''}`}>
                <label class="xs-label" for={`f-${name}`}>{label}</label>
                {issue && <p class="xs-error" id={`e-${name}`}><span class="xs-visually-hidden">{t.common.errorPrefix}</span>{issue.message(t)}</p>}
                <input class="xs-input" type="file" id={`f-${name}`} name={name} accept=".csv,text/csv" aria-describedby={issue ? `e-${name}` : undefined} />
              </div>
            );
          })}
          <button type="submit" class="xs-button">{m.importButton}</button>
        </PostForm>
      )}
    </DeliberationLayout>
  );
}
