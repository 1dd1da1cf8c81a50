import { usePage } from '../../../web/page-context.js';

/** Where the page sits: links up to the home page, the current page last and unlinked. */
export function Breadcrumbs({ trail }: { trail: { href?: string; label: string }[] }) {
  const { t } = usePage();
  const items = [{ href: '/', label: t.common.home }, ...trail];
  return (
    <nav class="xs-breadcrumbs" aria-label={t.common.breadcrumb}>
      <ol>
        {items.map((c, i) => (
          <li key={`${i}`}>{c.href && i < items.length - 1 ? <a href={c.href}>{c.label}</a> : <span aria-current="page">{c.label}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}
