import { SanitisedHtml } from '../../../../web/components/raw-html.js';
import { Layout } from '../../../../web/layout.js';
import { usePage } from '../../../../web/page-context.js';
import type { AttachmentItem } from '../../attachments/service.js';
import { AttachmentList } from '../../attachments/attachment-list.js';
import { Breadcrumbs } from '../../shared/breadcrumbs.js';
import { showDate } from '../../shared/dates.js';
import { bodyName } from '../../shared/editable-bodies.js';
import type { NewsRow } from '../queries.js';

export function NewsItemPage({ item, attachments }: { item: NewsRow; attachments: AttachmentItem[] }) {
  const { t, locale } = usePage();
  const body = bodyName({ name: item.body_name, name_en: item.body_name_en }, locale);
  const kindLabel = item.kind === 'announcement' ? t.content.announcementsOnly : t.content.newsOnly;
  return (
    <Layout title={item.title} description={item.summary || undefined}>
      <Breadcrumbs trail={[{ href: '/news', label: t.content.newsTitle }, { href: `/news?kind=${item.kind}`, label: kindLabel }, { label: item.title }]} />
      <article>
        <h1>{item.title}</h1>
        <p class="xs-list__meta">
          <a href={`/bodies/${item.body_id}`}>{t.content.publishedBy(body)}</a> · {t.content.publishedAt}{' '}
          <time datetime={item.published_at ?? undefined}>{showDate(item.published_at)}</time>
        </p>
        <SanitisedHtml class="xs-prose" html={item.body_html} />
        <AttachmentList items={attachments} />
      </article>
    </Layout>
  );
}
