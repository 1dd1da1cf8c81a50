import type { ComponentChildren } from 'preact';
import type { Catalog } from '../../../../web/i18n/index.js';
import { Layout } from '../../../../web/layout.js';
import { usePage } from '../../../../web/page-context.js';
import type { HandlerNav } from '../../handler-access.js';

export type Section = 'inbox' | 'overdue' | 'actions' | 'configure' | null;

/** A handler page: the handling sections this person has, one h1, an optional confirmation. */
export function HandlerLayout({ title, nav, current, hasErrors, done, children }: {
  title: string; nav: HandlerNav; current: Section; hasErrors?: boolean; done?: string | null; children: ComponentChildren;
}) {
  const { t } = usePage();
  const m = t.opinionsHandler;
  const links: [Section, string, string, boolean][] = [
    ['inbox', '/handle/opinions', m.navInbox, nav.inbox],
    ['overdue', '/handle/overdue', m.navOverdue, nav.overdue],
    ['actions', '/handle/actions', m.navActions, nav.actions],
    ['configure', '/admin/opinion-categories', m.navCategories, nav.configure],
  ];
  return (
    <Layout title={title} hasErrors={hasErrors}>
      <nav aria-label={m.navLabel}>
        <ul class="xs-nav__list">
          {links.filter((l) => l[3]).map(([key, href, label]) => (
            <li key={href}><a href={href} aria-current={key === current ? 'page' : undefined}>{label}</a></li>
          ))}
        </ul>
      </nav>
      <h1>{title}</h1>
      {done && <div class="xs-notice" role="status">{m.done(done)}</div>}
      {children}
    </Layout>
  );
}

/** ISO moments in China time, to the minute. */
export function fmt(iso: string | null | undefined): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The deadline cell: the date, and in words when it has passed (never colour alone). */
export function DueText({ due, t }: { due: { kind: 'accept' | 'reply'; on: string; overdueDays: number } | null; t: Catalog }) {
  const m = t.opinionsHandler;
  if (!due) return <>—</>;
  return (
    <>
      {due.kind === 'accept' ? m.dueAccept(due.on) : m.dueReply(due.on)}
      {due.overdueDays > 0 && <><br /><strong class="xs-error">{m.overdueBy(due.overdueDays)}</strong></>}
    </>
  );
}

export const localName = (b: { name: string; nameEn?: string | null }, locale: string): string => (locale === 'en' && b.nameEn ? b.nameEn : b.name);

/** `?done=word` after a redirect; only short lower-case words are shown (through the catalogue). */
export function doneWord(raw: unknown): string | null {
  return typeof raw === 'string' && /^[a-z]{1,20}$/.test(raw) ? raw : null;
}

/** Multi-line text as paragraphs (escaped by Preact). */
export function Paragraphs({ text }: { text: string }) {
  return <div class="xs-prose">{text.split(/\n+/).map((p, i) => <p key={i}>{p}</p>)}</div>;
}
