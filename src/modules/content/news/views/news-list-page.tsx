import { Pagination } from '../../../../web/components/pagination.js';
import { Layout } from '../../../../web/layout.js';
import { usePage } from '../../../../web/page-context.js';
import { Breadcrumbs } from '../../shared/breadcrumbs.js';
import { type BodyOption, bodyName } from '../../shared/editable-bodies.js';
import type { NewsFilter, NewsListItem } from '../queries.js';
import { NewsItems } from './news-items.js';

export interface NewsListProps { filter: NewsFilter; items: NewsListItem[]; total: number; pages: number; bodies: BodyOption[] }

export function NewsListPage({ filter, items, total, pages, bodies }: NewsListProps) {
  const { t, locale } = usePage();
  const title = filter.kind === 'announcement' ? t.content.announcementsOnly : filter.kind === 'news' ? t.content.newsOnly : t.content.newsTitle;
  return (
    <Layout title={title}>
      <Breadcrumbs trail={[{ label: title }]} />
      <h1>{title}</h1>
      <form method="get" action="/news" class="xs-filters">
        <div class="xs-field">
          <label class="xs-label" for="f-kind">{t.content.filterKind}</label>
          <select class="xs-select" id="f-kind" name="kind">
            <option value="">{t.content.allKinds}</option>
            <option value="news" selected={filter.kind === 'news'}>{t.content.kindNews}</option>
            <option value="announcement" selected={filter.kind === 'announcement'}>{t.content.kindAnnouncement}</option>
          </select>
        </div>
        <div class="xs-field">
          <label class="xs-label" for="f-body">{t.content.filterBody}</label>
          <select class="xs-select" id="f-body" name="body">
            <option value="">{t.content.allBodiesOption}</option>
            {bodies.map((b) => <option key={b.id} value={String(b.id)} selected={filter.bodyId === b.id}>{bodyName(b, locale)}</option>)}
          </select>
        </div>
        <button type="submit" class="xs-button">{t.content.applyFilter}</button>
      </form>
      <p class="xs-muted">{t.content.newsCount(total)}</p>
      <NewsItems items={items} />
      <Pagination page={filter.page} pages={pages} baseUrl="/news" query={{ kind: filter.kind, body: filter.bodyId }} />
    </Layout>
  );
}
