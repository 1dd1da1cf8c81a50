import { BODY_KINDS } from '../../../../db/schema.js';
import { TARGET_BODY_KINDS } from '../../../opinions/model.js';
import { Layout } from '../../../../web/layout.js';
import { usePage } from '../../../../web/page-context.js';
import { NewsItems } from '../../news/views/news-items.js';
import type { NewsListItem } from '../../news/queries.js';
import { Breadcrumbs } from '../../shared/breadcrumbs.js';
import { type BodyOption, bodyName } from '../../shared/editable-bodies.js';

/** All bodies, grouped by kind. */
export function BodiesPage({ bodies }: { bodies: BodyOption[] }) {
  const { t, locale } = usePage();
  return (
    <Layout title={t.content.bodiesTitle}>
      <Breadcrumbs trail={[{ label: t.content.bodiesTitle }]} />
      <h1>{t.content.bodiesTitle}</h1>
      {BODY_KINDS.map((kind) => {
        const group = bodies.filter((b) => b.kind === kind);
        if (!group.length) return null;
        return (
          <section key={kind} id={kind} aria-labelledby={`k-${kind}`}>
            <h2 id={`k-${kind}`}>{t.content.kindPlural(kind)}</h2>
            <ul class="xs-cards">
              {group.map((b) => <li key={b.id} class="xs-card"><a href={`/bodies/${b.id}`}>{bodyName(b, locale)}</a></li>)}
            </ul>
          </section>
        );
      })}
      {!bodies.length && <p class="xs-muted">{t.common.none}</p>}
    </Layout>
  );
}

interface BodyRef { id: number; name: string; name_en: string | null }
export interface BodyPageProps {
  body: BodyRef & { kind: string; description: string };
  parent: BodyRef | null;
  children: BodyRef[];
  news: NewsListItem[];
  moreNews: boolean;
}

/** One body: what it is, where it sits, what sits under it and what it published. */
export function BodyPage({ body, parent, children, news, moreNews }: BodyPageProps) {
  const { t, locale } = usePage();
  const name = bodyName(body, locale);
  return (
    <Layout title={name} description={body.description || undefined}>
      <Breadcrumbs trail={[{ href: '/bodies', label: t.content.bodiesTitle }, { href: `/bodies#${body.kind}`, label: t.content.kindPlural(body.kind) }, { label: name }]} />
      <h1>{name}</h1>
      <p><span class="xs-tag">{t.content.kindPlural(body.kind)}</span></p>
      {body.description ? body.description.split(/\n+/).map((para, i) => <p key={`${i}`}>{para}</p>) : <p class="xs-muted">{t.content.bodyNoDescription}</p>}
      {(TARGET_BODY_KINDS as readonly string[]).includes(body.kind) && <p><a class="xs-button" href={`/opinions/new?body=${body.id}`}>{t.opinionsCitizen.sendToBody}</a></p>}
      {parent && <p>{t.content.bodyParent}：<a href={`/bodies/${parent.id}`}>{bodyName(parent, locale)}</a></p>}
      {children.length > 0 && (
        <section aria-labelledby="children-title">
          <h2 id="children-title">{t.content.bodyChildren}</h2>
          <ul class="xs-cards">{children.map((c) => <li key={c.id} class="xs-card"><a href={`/bodies/${c.id}`}>{bodyName(c, locale)}</a></li>)}</ul>
        </section>
      )}
      <section aria-labelledby="news-title">
        <h2 id="news-title">{t.content.bodyNews}</h2>
        <NewsItems items={news} headingLevel={3} />
        {moreNews && <p><a href={`/news?body=${body.id}`}>{t.content.bodyAllNews}</a></p>}
      </section>
    </Layout>
  );
}
