import { usePage } from '../../../../web/page-context.js';
import { showDate } from '../../shared/dates.js';
import { bodyName } from '../../shared/editable-bodies.js';
import type { NewsListItem } from '../queries.js';

/** A list of news items: title link, type, body, date and summary. */
export function NewsItems({ items, headingLevel = 2 }: { items: NewsListItem[]; headingLevel?: 2 | 3 }) {
  const { t, locale } = usePage();
  const H = headingLevel === 2 ? 'h2' : 'h3';
  if (!items.length) return <p class="xs-muted">{t.content.noNews}</p>;
  return (
    <ul class="xs-list">
      {items.map((n) => (
        <li key={n.id}>
          <H class="xs-list__title"><a href={`/news/${n.id}`}>{n.title}</a></H>
          <p class="xs-list__meta">
            <span class="xs-tag">{n.kind === 'announcement' ? t.content.kindAnnouncement : t.content.kindNews}</span>
            {bodyName({ name: n.body_name, name_en: n.body_name_en }, locale)} · <time datetime={n.published_at ?? undefined}>{showDate(n.published_at)}</time>
          </p>
          {n.summary && <p>{n.summary}</p>}
        </li>
      ))}
    </ul>
  );
}
