import { Pagination } from '../../../../web/components/pagination.js';
import { usePage } from '../../../../web/page-context.js';
import type { AdminRow, ContentOverview } from '../list.js';
import { ADMIN_PAGE_SIZE } from '../list.js';
import { EditorLayout, StatusLine, statusLabel } from './common.js';
import { TableScroll } from '../../../../web/components/table-scroll.js';

function Rows({ rows, base }: { rows: AdminRow[]; base: string }) {
  const { t } = usePage();
  if (!rows.length) return <p class="xs-muted">{t.contentAdmin.nothing}</p>;
  return (
    <TableScroll>
      <table class="xs-table">
        <thead><tr><th scope="col">{t.contentAdmin.colTitle}</th><th scope="col">{t.contentAdmin.colBody}</th><th scope="col">{t.contentAdmin.colStatus}</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td><a href={`${base}/${r.id}`}>{r.title}</a></td>
              <td>{r.body_name}</td>
              <td><span class="xs-tag">{statusLabel(t, r.status)}</span> <StatusLine status={r.status} publishAt={r.publish_at} publishedAt={r.published_at} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export function ContentListPage({ o }: { o: ContentOverview }) {
  const { t } = usePage();
  const pages = Math.max(1, Math.ceil(Math.max(o.newsTotal, o.pagesTotal) / ADMIN_PAGE_SIZE));
  return (
    <EditorLayout title={t.contentAdmin.listTitle}>
      <p><a class="xs-button" href="/admin/content/news/new">{t.contentAdmin.newNews}</a>{' '}
        <a class="xs-button xs-button--secondary" href="/admin/content/pages/new">{t.contentAdmin.newPage}</a></p>
      <form method="get" action="/admin/content" class="xs-filters">
        <div class="xs-field">
          <label class="xs-label" for="f-status">{t.contentAdmin.filterStatus}</label>
          <select class="xs-select" id="f-status" name="status">
            <option value="">{t.contentAdmin.allStatuses}</option>
            {(['draft', 'scheduled', 'published'] as const).map((s) => <option key={s} value={s} selected={o.status === s}>{statusLabel(t, s)}</option>)}
          </select>
        </div>
        <button type="submit" class="xs-button">{t.common.filter}</button>
      </form>
      <h2>{t.contentAdmin.newsHeading} <span class="xs-muted">({o.newsTotal})</span></h2>
      <Rows rows={o.news} base="/admin/content/news" />
      <h2>{t.contentAdmin.pagesHeading} <span class="xs-muted">({o.pagesTotal})</span></h2>
      <Rows rows={o.pages} base="/admin/content/pages" />
      <Pagination page={o.page} pages={pages} baseUrl="/admin/content" query={{ status: o.status }} />
    </EditorLayout>
  );
}
