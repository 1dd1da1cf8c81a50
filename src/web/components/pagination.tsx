import { usePage } from '../page-context.js';

/** Previous/next links that keep the other query parameters. */
export function Pagination({ page, pages, baseUrl, query }: { page: number; pages: number; baseUrl: string; query: Record<string, string | number | undefined | null> }) {
  const { t } = usePage();
  if (pages <= 1) return null;
  const href = (p: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '' && k !== 'page') q.set(k, String(v));
    if (p > 1) q.set('page', String(p));
    const s = q.toString();
    return s ? `${baseUrl}?${s}` : baseUrl;
  };
  return (
    <nav class="xs-pagination" aria-label={t.common.pageOf(page, pages)}>
      {page > 1 && <a class="xs-pagination__prev" rel="prev" href={href(page - 1)}>{t.common.previous}</a>}
      <span class="xs-pagination__status">{t.common.pageOf(page, pages)}</span>
      {page < pages && <a class="xs-pagination__next" rel="next" href={href(page + 1)}>{t.common.next}</a>}
    </nav>
  );
}
