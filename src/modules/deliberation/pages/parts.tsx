import type { ComponentChildren } from 'preact';
import type { Catalog } from '../../../web/i18n/index.js';
import { usePage } from '../../../web/page-context.js';
import { SectionLayout } from '../../content/shared/breadcrumbs.js';
import type { DeliberationRow, Moderation, StatementStatus } from '../model.js';

// Pieces the deliberation pages share.

type M = Catalog['deliberation'];
export const statusLabel = (m: M, s: DeliberationRow['status']): string => (s === 'open' ? m.statusOpen : m.statusClosed);
export const moderationLabel = (m: M, s: Moderation): string => (s === 'strict' ? m.moderationStrict : m.moderationOpen);
export const statementStatusLabel = (m: M, s: StatementStatus): string =>
  s === 'pending' ? m.statusPending : s === 'accepted' ? m.statusAccepted : m.statusRejected;

export type Crumb = { href?: string; label: string };

/** A deliberation page: breadcrumbs under 网络议政 and one h1. */
export function DeliberationLayout({ title, trail, hasErrors, children }: { title: string; trail?: Crumb[]; hasErrors?: boolean; children: ComponentChildren }) {
  const { t } = usePage();
  return <SectionLayout home={{ href: '/deliberations', label: t.deliberation.listTitle }} title={title} trail={trail} hasErrors={hasErrors}>{children}</SectionLayout>;
}

export function Notice({ text }: { text: string | null | undefined }) {
  return text ? <div class="xs-notice" role="status">{text}</div> : null;
}

/** Plain text with its paragraphs kept (no HTML from the text). */
export function Paragraphs({ text }: { text: string }) {
  const parts = text.split(/\n{2,}/).map((p) => p.trim()).filter(Boolean);
  return (
    <div class="xs-prose">
      {parts.map((p, i) => <p key={`${i}`}>{p.split('\n').map((line, j) => (j === 0 ? line : [<br key={`${j}`} />, line]))}</p>)}
    </div>
  );
}
