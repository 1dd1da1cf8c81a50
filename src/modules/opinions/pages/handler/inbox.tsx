import { ErrorSummary } from '../../../../web/components/error-summary.js';
import { type FormState, PostForm, Select, TextInput } from '../../../../web/components/fields.js';
import { Pagination } from '../../../../web/components/pagination.js';
import { TableScroll } from '../../../../web/components/table-scroll.js';
import { usePage } from '../../../../web/page-context.js';
import type { Option } from '../../handler-service.js';
import { type InboxFilters, type InboxRow, type InboxScope, STATUS_FILTERS, filterQuery } from '../../inbox-queries.js';
import { type HandlerNav } from '../../handler-access.js';
import { formatTrackingCode } from '../../model.js';
import { statusLabel } from '../../timeline.js';
import { EXPORT_CAP } from '../../export.js';
import { DueText, HandlerLayout, fmt, localName } from './layout.js';

export interface InboxProps {
  nav: HandlerNav;
  scopes: { mine: boolean; bodies: Option[] };
  scope: InboxScope;
  filters: InboxFilters;
  options: { categories: { key: string; name: string; nameEn: string }[]; regions: { id: number; name: string; nameEn: string | null; level: string; depth: number }[] };
  list: { rows: InboxRow[]; total: number; capped: boolean; pages: number };
  canExport: boolean;
  targets: { bodies: Option[]; members: Option[] };
  form?: FormState;
}

const indent = (o: Option) => `${'　'.repeat(o.depth ?? 0)}${o.label}`;

export function InboxPage(p: InboxProps) {
  const { t, locale, url } = usePage();
  const m = t.opinionsHandler;
  const f = p.filters;
  const query = filterQuery(p.scope, f);
  const qs = new URLSearchParams(query).toString();
  const values = { status: f.status ?? '', category: f.category ?? '', region: f.region ?? '', due: f.dueBy ?? '', q: f.q ?? '', sort: f.sort, overdue: f.overdue ? '1' : '' };
  const scopeQuery = (s: InboxScope) => (s.kind === 'mine' ? '?mine=1' : `?body=${s.bodyId}`);
  const isCurrent = (s: InboxScope) => scopeQuery(s) === scopeQuery(p.scope);
  const filtered = Boolean(f.status || f.category || f.region || f.dueBy || f.overdue || f.q);
  return (
    <HandlerLayout title={m.inboxTitle} nav={p.nav} current="inbox" hasErrors={Boolean(p.form?.issues?.length)}>
      {(p.scopes.mine ? 1 : 0) + p.scopes.bodies.length > 1 && (
        <nav aria-label={m.scopeLabel} class="xs-panel">
          <h2 class="xs-visually-hidden">{m.scopeLabel}</h2>
          <ul>
            {p.scopes.mine && <li><a href="/handle/opinions?mine=1" aria-current={isCurrent({ kind: 'mine', userId: 0 }) ? 'page' : undefined}>{m.scopeMine}</a></li>}
            {p.scopes.bodies.map((b) => (
              <li key={b.id}><a href={`/handle/opinions?body=${b.id}`} aria-current={isCurrent({ kind: 'body', bodyId: b.id }) ? 'page' : undefined}>{indent(b)}</a></li>
            ))}
          </ul>
        </nav>
      )}
      <form method="get" action="/handle/opinions" class="xs-panel" aria-labelledby="inbox-filter-title">
        <h2 id="inbox-filter-title">{m.filterHeading}</h2>
        {p.scope.kind === 'mine' ? <input type="hidden" name="mine" value="1" /> : <input type="hidden" name="body" value={String(p.scope.bodyId)} />}
        <div class="xs-filters">
          <Select name="status" label={m.fStatus} blank={m.anyStatus} form={{ values }}
            options={STATUS_FILTERS.map((s) => ({ value: s, label: s === 'open' ? m.statusOpen : statusLabel(t, s) }))} />
          <Select name="category" label={m.fCategory} blank={m.anyCategory} form={{ values }}
            options={p.options.categories.map((c) => ({ value: c.key, label: locale === 'en' ? c.nameEn : c.name }))} />
          <Select name="region" label={m.fRegion} hint={m.regionHint} blank={m.anyRegion} form={{ values }}
            options={p.options.regions.map((r) => ({ value: r.id, label: `${'　'.repeat(r.depth)}${localName(r, locale)}` }))} />
          <TextInput name="due" type="date" label={m.fDue} hint={m.dueHint} form={{ values }} maxLength={10} />
          <TextInput name="q" type="search" label={m.fSearch} form={{ values }} maxLength={50} />
          <Select name="sort" label={m.fSort} form={{ values }} options={[{ value: 'new', label: m.sortNew }, { value: 'due', label: m.sortDue }]} />
        </div>
        <div class="xs-field xs-checkbox">
          <input type="checkbox" id="f-overdue" name="overdue" value="1" checked={f.overdue} />
          <label for="f-overdue">{m.fOverdue}</label>
        </div>
        <button type="submit" class="xs-button">{m.apply}</button>
        {filtered && <> <a href={`/handle/opinions${scopeQuery(p.scope)}`}>{m.clear}</a></>}
      </form>
      <p role="status">{m.count(p.list.total, p.list.capped)}</p>
      {p.canExport && (
        <p>
          <a href={`/handle/opinions/export.csv?${qs}`} download>{m.exportCsv}</a> · <a href={`/handle/opinions/export.xlsx?${qs}`} download>{m.exportXlsx}</a>
          <br /><span class="xs-muted">{m.exportNote(EXPORT_CAP)}</span>
        </p>
      )}
      <ErrorSummary issues={p.form?.issues} />
      {p.list.rows.length === 0 ? <p>{m.noneFound}</p> : (
        <PostForm action="/handle/opinions/bulk">
          <input type="hidden" name="back" value={url} />
          <TableScroll>
            <table class="xs-table" id="f-ids">
              <caption class="xs-visually-hidden">{m.tableCaption}</caption>
              <thead><tr>
                <th scope="col">{m.colSelect}</th><th scope="col">{m.colCode}</th><th scope="col">{m.colTitle}</th><th scope="col">{m.colStatus}</th>
                <th scope="col">{m.colCategory}</th><th scope="col">{m.colRegion}</th><th scope="col">{m.colReceived}</th><th scope="col">{m.colDue}</th><th scope="col">{m.colHandler}</th>
              </tr></thead>
              <tbody>{p.list.rows.map((r) => {
                const code = formatTrackingCode(r.code);
                return (
                  <tr key={r.id}>
                    <td><input type="checkbox" name="ids" value={String(r.id)} id={`sel-${r.id}`} /><label for={`sel-${r.id}`} class="xs-visually-hidden">{m.selectOne(code)}</label></td>
                    <td><a href={`/handle/opinions/${r.id}`}>{code}</a></td>
                    <td>{r.title}{r.targetType === 'route' && !r.routingConfirmed && <> <span class="xs-tag">{m.toRoute}</span></>}</td>
                    <td>{statusLabel(t, r.status)}</td>
                    <td>{locale === 'en' ? r.categoryEn : r.category}</td>
                    <td>{r.region ?? '—'}</td>
                    <td>{fmt(r.receivedAt)}</td>
                    <td><DueText due={r.due} t={t} /></td>
                    <td>{[localName({ name: r.handlerBody, nameEn: r.handlerBodyEn }, locale), r.handlerUser].filter(Boolean).join(' / ')}</td>
                  </tr>
                );
              })}</tbody>
            </table>
          </TableScroll>
          <fieldset class="xs-panel">
            <legend><strong>{m.bulkHeading}</strong></legend>
            <p class="xs-hint">{m.bulkHint}</p>
            <p><button type="submit" name="action" value="accept" class="xs-button">{m.bulkAccept}</button></p>
            <div class="xs-filters">
              <Select name="bodyId" label={t.opinions.fAssignBody} blank={m.anyBody} form={p.form} options={p.targets.bodies.map((b) => ({ value: b.id, label: indent(b) }))} />
              <Select name="memberId" label={t.opinions.fAssignMember} blank={m.anyMember} form={p.form} options={p.targets.members.map((b) => ({ value: b.id, label: b.label }))} />
            </div>
            <p><button type="submit" name="action" value="assign" class="xs-button xs-button--secondary">{m.bulkAssign}</button></p>
            <p>
              <button type="submit" name="action" value="report" class="xs-button xs-button--secondary">{m.bulkReport}</button>{' '}
              <button type="submit" name="action" value="export-csv" class="xs-button xs-button--secondary">{m.bulkExportCsv}</button>{' '}
              <button type="submit" name="action" value="export-xlsx" class="xs-button xs-button--secondary">{m.bulkExportXlsx}</button>
            </p>
          </fieldset>
        </PostForm>
      )}
      <Pagination page={Math.min(f.page, p.list.pages)} pages={p.list.pages} baseUrl="/handle/opinions" query={query} />
    </HandlerLayout>
  );
}
