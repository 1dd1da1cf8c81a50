import { usePage } from '../../../web/page-context.js';
import type { AttachmentItem } from './service.js';

/** The downloadable files of a news item or page; nothing when there are none. */
export function AttachmentList({ items }: { items: AttachmentItem[] }) {
  const { t } = usePage();
  if (!items.length) return null;
  return (
    <section aria-labelledby="attachments-title">
      <h2 id="attachments-title">{t.content.attachmentsTitle}</h2>
      <ul class="xs-list">
        {items.map((a) => (
          <li key={a.id}><a href={a.url}>{a.filename}</a> <span class="xs-muted">({t.content.attachmentSize((a.size / 1024).toFixed(1))})</span></li>
        ))}
      </ul>
    </section>
  );
}
