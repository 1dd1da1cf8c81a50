import type { ComponentChildren } from 'preact';
import type { PublishStatus } from '../../../../db/schema.js';
import type { Catalog } from '../../../../web/i18n/index.js';
import { Layout } from '../../../../web/layout.js';
import { usePage } from '../../../../web/page-context.js';
import { Breadcrumbs } from '../../shared/breadcrumbs.js';
import { showDateTime } from '../../shared/dates.js';

export function EditorLayout({ title, hasErrors, children }: { title: string; hasErrors?: boolean; children: ComponentChildren }) {
  const { t } = usePage();
  const trail = title === t.contentAdmin.listTitle ? [{ label: title }] : [{ href: '/admin/content', label: t.contentAdmin.listTitle }, { label: title }];
  return (
    <Layout title={title} hasErrors={hasErrors}>
      <Breadcrumbs trail={trail} />
      <h1>{title}</h1>
      {children}
    </Layout>
  );
}

export const statusLabel = (t: Catalog, s: PublishStatus): string =>
  s === 'published' ? t.contentAdmin.statusPublished : s === 'scheduled' ? t.contentAdmin.statusScheduled : t.contentAdmin.statusDraft;

export function StatusLine({ status, publishAt, publishedAt }: { status: PublishStatus; publishAt: string | null; publishedAt: string | null }) {
  const { t } = usePage();
  if (status === 'scheduled') return <span>{t.contentAdmin.scheduledFor(showDateTime(publishAt))}</span>;
  if (status === 'published') return <span>{t.contentAdmin.publishedOn(showDateTime(publishedAt))}</span>;
  return <span>{t.contentAdmin.statusDraft}</span>;
}

/** The three ways to save: draft, publish now, schedule (with the time field above). */
export function PublishButtons() {
  const { t } = usePage();
  return (
    <div class="xs-field">
      <button type="submit" name="intent" value="draft" class="xs-button xs-button--secondary">{t.contentAdmin.saveDraft}</button>{' '}
      <button type="submit" name="intent" value="publish" class="xs-button">{t.contentAdmin.publishNow}</button>{' '}
      <button type="submit" name="intent" value="schedule" class="xs-button xs-button--secondary">{t.contentAdmin.schedule}</button>
    </div>
  );
}
