import { SanitisedHtml } from '../../../../web/components/raw-html.js';
import { Layout } from '../../../../web/layout.js';
import { usePage } from '../../../../web/page-context.js';
import { AttachmentList } from '../../attachments/attachment-list.js';
import type { AttachmentItem } from '../../attachments/service.js';
import { Breadcrumbs } from '../../shared/breadcrumbs.js';
import type { PageRow } from '../queries.js';

type Crumb = { href?: string; label: string };

/** One published page: the overview at /about, or any page at /pages/:slug. */
export function ContentPage({ page, attachments, trail }: { page: PageRow; attachments: AttachmentItem[]; trail: Crumb[] }) {
  return (
    <Layout title={page.title}>
      <Breadcrumbs trail={[...trail, { label: page.title }]} />
      <article>
        <h1>{page.title}</h1>
        <SanitisedHtml class="xs-prose" html={page.body_html} />
        <AttachmentList items={attachments} />
      </article>
    </Layout>
  );
}

/** The overview when none has been published yet. */
export function MissingOverview() {
  const { t } = usePage();
  return (
    <Layout title={t.content.overviewTitle}>
      <Breadcrumbs trail={[{ label: t.content.overviewTitle }]} />
      <h1>{t.content.overviewTitle}</h1>
      <p>{t.content.overviewMissing}</p>
      <AboutLinks />
    </Layout>
  );
}

export function AboutLinks() {
  const { t } = usePage();
  return (
    <ul class="xs-cards">
      <li class="xs-card"><a href="/about/rules">{t.content.rulesTitle}</a></li>
      <li class="xs-card"><a href="/about/duties">{t.content.dutiesTitle}</a></li>
      <li class="xs-card"><a href="/bodies">{t.content.bodiesTitle}</a></li>
      <li class="xs-card"><a href="/members">{t.content.membersLink}</a></li>
    </ul>
  );
}

/** 制度: the list of rules pages, each a link. */
export function RulesPage({ pages }: { pages: PageRow[] }) {
  const { t } = usePage();
  return (
    <Layout title={t.content.rulesTitle}>
      <Breadcrumbs trail={[{ href: '/about', label: t.content.overviewTitle }, { label: t.content.rulesTitle }]} />
      <h1>{t.content.rulesTitle}</h1>
      <p class="xs-lead">{t.content.rulesIntro}</p>
      {pages.length ? (
        <ul class="xs-list">{pages.map((p) => <li key={p.id}><a class="xs-list__title" href={`/pages/${p.slug}`}>{p.title}</a></li>)}</ul>
      ) : <p class="xs-muted">{t.content.noRules}</p>}
    </Layout>
  );
}

/** 职责: the duties pages in full, one section each, with a link to each page. */
export function DutiesPage({ pages }: { pages: PageRow[] }) {
  const { t } = usePage();
  return (
    <Layout title={t.content.dutiesTitle}>
      <Breadcrumbs trail={[{ href: '/about', label: t.content.overviewTitle }, { label: t.content.dutiesTitle }]} />
      <h1>{t.content.dutiesTitle}</h1>
      {pages.length ? pages.map((p) => (
        <section key={p.id} aria-labelledby={`duty-${p.id}`}>
          <h2 id={`duty-${p.id}`}><a href={`/pages/${p.slug}`}>{p.title}</a></h2>
          <SanitisedHtml class="xs-prose" html={p.body_html} />
        </section>
      )) : <p class="xs-muted">{t.content.noDuties}</p>}
    </Layout>
  );
}
