import type { FieldIssue } from '../../../platform/errors.js';
import { type FormState, PostForm, Select, TextArea, TextInput } from '../../../web/components/fields.js';
import { Pagination } from '../../../web/components/pagination.js';
import { usePage } from '../../../web/page-context.js';
import type { ConsultationRow } from '../access.js';
import { type CurrentNotice, NOTICE_KINDS, type NoticeView } from '../community-notice-service.js';
import type { Named } from '../queries.js';
import { AdminLayout } from './admin-home.js';
import { NoticeList } from './grassroots-parts.js';
import { PublicLayout, named, showDate, stageLabel } from './parts.js';

// 公示: the council's page to publish notices, a consultation's public notices, and the
// public list of notices now in their notice period.

export function NoticeAdminPage({ c, notices, form, notice }: { c: ConsultationRow; notices: NoticeView[]; form?: FormState & { issues?: FieldIssue[] }; notice?: string | null }) {
  const { t } = usePage();
  const g = t.grassroots;
  const m = t.consultations;
  return (
    <AdminLayout title={g.noticesAdminTitle(c.title)} trail={[{ href: `/admin/consultations/${c.id}`, label: c.title }]} issues={form?.issues} notice={notice}>
      <p>{m.currentStage(stageLabel(m, c.stage))}</p>
      {c.track !== 'community' ? <p>{g.notCommunity}</p> : (
        <>
          <p>{g.noticesLead}</p>
          <PostForm action={`/admin/consultations/${c.id}/notices`}>
            <Select name="kind" label={g.fKind} form={form} required options={NOTICE_KINDS.map((k) => ({ value: k, label: g[`kind_${k}`] }))} />
            <TextArea name="body" label={g.fBody} hint={g.bodyHint} form={form} rows={10} maxLength={20000} required />
            <TextInput name="noticeUntil" type="date" label={g.fNoticeUntil} hint={g.noticeUntilHint} form={form} required />
            <button type="submit" class="xs-button">{g.publishNotice}</button>
          </PostForm>
        </>
      )}
      <h2>{g.noticesTitle}</h2>
      <NoticeList notices={notices} headingLevel={3} />
      {c.is_public === 1 && <p><a href={`/consultations/${c.id}/notices`}>{m.viewPublicPage}</a></p>}
    </AdminLayout>
  );
}

export function ConsultationNoticesPage({ c, notices }: { c: ConsultationRow; notices: NoticeView[] }) {
  const { t } = usePage();
  const g = t.grassroots;
  return (
    <PublicLayout title={g.noticesFor(c.title)} trail={[{ href: `/consultations/${c.id}`, label: c.title }]}>
      <NoticeList notices={notices} headingLevel={2} />
      <p><a href="/consultations/notices">{g.communityNoticesLink}</a></p>
    </PublicLayout>
  );
}

export interface CurrentNoticesView {
  filters: { body: number | null; region: number | null }; page: number; total: number; pages: number;
  options: { councils: Named[]; regions: Named[] }; items: CurrentNotice[];
}

export function CurrentNoticesPage({ v }: { v: CurrentNoticesView }) {
  const { t, locale } = usePage();
  const g = t.grassroots;
  return (
    <PublicLayout title={g.currentNoticesTitle}>
      <p>{g.currentNoticesLead}</p>
      <form method="get" action="/consultations/notices" class="xs-filter">
        <Select name="body" label={g.fCouncil} blank={g.allCouncils} form={{ values: { body: v.filters.body ?? '' } }} options={v.options.councils.map((b) => ({ value: b.id, label: named(b, locale) }))} />
        <Select name="region" label={g.fRegion} blank={g.allRegions} form={{ values: { region: v.filters.region ?? '' } }} options={v.options.regions.map((r) => ({ value: r.id, label: named(r, locale) }))} />
        <button type="submit" class="xs-button xs-button--secondary">{g.filter}</button>
      </form>
      {v.items.length === 0 ? <p>{g.noNotices}</p> : (
        <ul class="xs-list">{v.items.map((n) => (
          <li key={n.id}>
            <a class="xs-list__title" href={`/consultations/${n.consultation.id}/notices#notice-${n.id}`}>{g.labelled(g[`kind_${n.kind}`], n.consultation.title)}</a>
            <div class="xs-list__meta">{named(n.council, locale)} · {g.publishedOn(showDate(n.publishedAt))}{n.noticeUntil ? ` · ${g.noticeUntil(n.noticeUntil)}` : ''}</div>
          </li>
        ))}</ul>
      )}
      <Pagination page={v.page} pages={v.pages} baseUrl="/consultations/notices" query={{ body: v.filters.body, region: v.filters.region }} />
    </PublicLayout>
  );
}
