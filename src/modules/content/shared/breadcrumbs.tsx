import type { ComponentChildren } from 'preact';
import { Layout } from '../../../web/layout.js';
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

/**
 * A page inside a section (协商, 网络议政, the organisers' area…): breadcrumbs from the home page
 * through the section's home and `trail`, then the one h1. The section's home page itself has
 * no link to itself.
 */
export function SectionLayout({ home, title, trail, hasErrors, children }: {
  home: { href: string; label: string }; title: string; trail?: { href?: string; label: string }[]; hasErrors?: boolean; children: ComponentChildren;
}) {
  const crumbs = title === home.label ? [{ label: title }] : [home, ...(trail ?? []), { label: title }];
  return (
    <Layout title={title} hasErrors={hasErrors}>
      <Breadcrumbs trail={crumbs} />
      <h1>{title}</h1>
      {children}
    </Layout>
  );
}
