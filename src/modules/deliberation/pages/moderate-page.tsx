import type { FieldIssue } from '../../../platform/errors.js';
import { ErrorSummary } from '../../../web/components/error-summary.js';
import { PostForm, Select, TextArea, TextInput } from '../../../web/components/fields.js';
import { Pagination } from '../../../web/components/pagination.js';
import { usePage } from '../../../web/page-context.js';
import { showDateTime } from '../../content/shared/dates.js';
import { type DeliberationRow, MODERATIONS, STATEMENT_MAX, type StatementStatus } from '../model.js';
import { POLIS_FILES } from '../polis-export.js';
import { PAGE_SIZE, type QueueItem } from '../queries.js';
import { DeliberationLayout, Notice, moderationLabel, statementStatusLabel, statusLabel } from './parts.js';

export interface ModeratePageProps {
  d: DeliberationRow;
  counts: Record<StatementStatus, number>;
  tab: StatementStatus;
  page: number;
  items: QueueItem[];
  notice?: string | null;
  form?: { name: 'settings' | 'seeds'; values: Record<string, unknown>; issues: FieldIssue[] };
}

/** Organisers' page: settings, the statements by status with accept / reject, seeds, export and recompute. */
export function ModeratePage({ d, counts, tab, page, items, notice, form }: ModeratePageProps) {
  const { t } = usePage();
  const m = t.deliberation;
  const base = `/deliberations/${d.id}/moderate`;
  const tabs: Array<[StatementStatus, string]> = [['pending', m.tabPending(counts.pending)], ['accepted', m.tabAccepted(counts.accepted)], ['rejected', m.tabRejected(counts.rejected)]];
  const settings = form?.name === 'settings' ? form : { values: { moderation: d.moderation, status: d.status, maxGroups: d.max_groups }, issues: [] };
  const seeds = form?.name === 'seeds' ? form : undefined;
  return (
    <DeliberationLayout title={m.moderateTitle(d.title)} trail={[{ href: `/deliberations/${d.id}`, label: d.title }]} hasErrors={Boolean(form?.issues.length)}>
      <ErrorSummary issues={form?.issues} />
      <Notice text={notice} />

      <section aria-labelledby="queue-title">
        <h2 id="queue-title">{m.queueTitle}</h2>
        <nav aria-label={m.queueTitle}>
          <ul class="xs-nav__list">
            {tabs.map(([s, label]) => <li key={s}><a href={`${base}?status=${s}`} aria-current={s === tab ? 'page' : undefined}>{label}</a></li>)}
          </ul>
        </nav>
        {items.length === 0 ? <p>{m.queueEmpty}</p> : (
          <ul class="xs-list">
            {items.map((s) => (
              <li key={s.id} id={`s-${s.id}`}>
                <p class="xs-list__title">{s.body}</p>
                <p class="xs-list__meta">#{s.id} · {showDateTime(s.createdAt)} · {statementStatusLabel(m, s.status)}</p>
                <PostForm action={`/deliberations/statements/${s.id}/moderate`}>
                  <input type="hidden" name="back" value={`${tab}:${page}`} />
                  {s.status !== 'accepted' && <button type="submit" name="decision" value="accept" class="xs-button">{m.accept}</button>}{' '}
                  {s.status !== 'rejected' && <button type="submit" name="decision" value="reject" class="xs-button xs-button--warning">{m.reject}</button>}
                </PostForm>
              </li>
            ))}
          </ul>
        )}
        <Pagination page={page} pages={Math.max(1, Math.ceil(counts[tab] / PAGE_SIZE))} baseUrl={base} query={{ status: tab }} />
      </section>

      <section aria-labelledby="seed-title">
        <h2 id="seed-title">{m.seedTitle}</h2>
        <PostForm action={`/deliberations/${d.id}/seeds`}>
          <TextArea name="seeds" label={m.fSeeds} hint={m.seedsHint(STATEMENT_MAX)} rows={5} form={seeds} />
          <button type="submit" class="xs-button">{m.seedButton}</button>
        </PostForm>
      </section>

      <section aria-labelledby="settings-title">
        <h2 id="settings-title">{m.settingsTitle}</h2>
        <PostForm action={`/deliberations/${d.id}/settings`}>
          <Select name="moderation" label={m.fModeration} hint={m.moderationHint} form={settings} options={MODERATIONS.map((v) => ({ value: v, label: moderationLabel(m, v) }))} />
          <Select name="status" label={m.fStatus} form={settings} options={(['open', 'closed'] as const).map((v) => ({ value: v, label: statusLabel(m, v) }))} />
          <TextInput name="maxGroups" label={m.fMaxGroups} hint={m.maxGroupsHint} inputmode="numeric" maxLength={1} form={settings} />
          <button type="submit" class="xs-button">{m.saveSettings}</button>
        </PostForm>
      </section>

      <section aria-labelledby="export-title">
        <h2 id="export-title">{m.exportTitle}</h2>
        <p>{m.exportLead}</p>
        <ul>{POLIS_FILES.map((f) => <li key={f}><a href={`/deliberations/${d.id}/export/${f}`} download={f}>{f}</a></li>)}</ul>
      </section>

      <section aria-labelledby="recompute-title">
        <h2 id="recompute-title">{m.recomputeTitle}</h2>
        <PostForm action={`/deliberations/${d.id}/recompute`}>
          <button type="submit" class="xs-button xs-button--secondary">{m.recomputeButton}</button>
        </PostForm>
      </section>
      <p><a href={`/deliberations/${d.id}/results`}>{m.resultsLink}</a></p>
    </DeliberationLayout>
  );
}
