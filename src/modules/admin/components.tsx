import type { ComponentChildren } from 'preact';
import type { Catalog } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { usePage } from '../../web/page-context.js';

/** An administration page: breadcrumbs back to the dashboard, one h1, an optional notice. */
export function AdminLayout({ title, hasErrors, parent, done, children }: {
  title: string; hasErrors?: boolean; parent?: { href: string; label: string }; done?: string | null; children: ComponentChildren;
}) {
  const { t } = usePage();
  return (
    <Layout title={title} hasErrors={hasErrors}>
      <nav class="xs-breadcrumbs" aria-label={t.common.breadcrumb}>
        <ol>
          <li><a href="/admin">{t.admin.dashboardTitle}</a></li>
          {parent && <li><a href={parent.href}>{parent.label}</a></li>}
        </ol>
      </nav>
      <h1>{title}</h1>
      {done && <div class="xs-notice" role="status">{doneText(t, done)}</div>}
      {children}
    </Layout>
  );
}

function doneText(t: Catalog, done: string): string {
  const m: Record<string, string> = {
    saved: t.admin.doneSaved, deleted: t.admin.doneDeleted, created: t.admin.doneCreated,
    ended: t.admin.doneEnded, revoked: t.admin.doneRevoked, imported: t.admin.doneImported,
  };
  return m[done] ?? t.admin.doneSaved;
}

/** ISO timestamps as readable local-ish text (UTC+8, the platform's time zone). */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(Date.parse(iso) + 8 * 3_600_000);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ');
}

export function Actions({ children }: { children: ComponentChildren }) {
  return <p class="xs-actions">{children}</p>;
}
