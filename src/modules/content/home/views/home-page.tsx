import { Layout } from '../../../../web/layout.js';
import { usePage } from '../../../../web/page-context.js';
import type { NewsListItem } from '../../news/queries.js';
import { NewsItems } from '../../news/views/news-items.js';

export interface HomeProps { overview: string | null; announcements: NewsListItem[]; news: NewsListItem[] }

const BODY_LINKS = ['special_committee', 'liaison_group', 'member_studio', 'community_council', 'department'] as const;

export function HomePage({ overview, announcements, news }: HomeProps) {
  const { t, orgName } = usePage();
  const name = orgName || t.common.siteSuffix;
  return (
    <Layout title={t.content.homeTitle}>
      <h1>{name}</h1>
      <section class="xs-panel" aria-label={t.content.overviewTitle}>
        <p class="xs-lead">{overview ?? t.content.homeNoOverview}</p>
        <p><a href="/about">{t.content.readOverview}</a></p>
      </section>
      <section class="xs-panel" aria-labelledby="home-opinions">
        <h2 id="home-opinions">{t.opinionsPublic.homeTitle}</h2>
        <p>{t.opinionsPublic.homeIntro}</p>
        <p><a class="xs-button" href="/opinions/new">{t.opinionsPublic.sendOpinion}</a> <a href="/opinions">{t.opinionsPublic.homeBrowse}</a></p>
      </section>
      <section aria-labelledby="home-links">
        <h2 id="home-links">{t.content.quickLinks}</h2>
        <ul class="xs-cards">
          <li class="xs-card"><a href="/about">{t.content.overviewTitle}</a></li>
          <li class="xs-card"><a href="/about/rules">{t.content.rulesTitle}</a></li>
          <li class="xs-card"><a href="/about/duties">{t.content.dutiesTitle}</a></li>
          <li class="xs-card"><a href="/members">{t.content.membersLink}</a></li>
          <li class="xs-card"><a href="/search">{t.content.searchLink}</a></li>
          {BODY_LINKS.map((k) => <li key={k} class="xs-card"><a href={`/bodies#${k}`}>{t.content.kindPlural(k)}</a></li>)}
        </ul>
      </section>
      <section aria-labelledby="home-announcements">
        <h2 id="home-announcements">{t.content.latestAnnouncements}</h2>
        <NewsItems items={announcements} headingLevel={3} />
        <p><a href="/news?kind=announcement">{t.content.moreAnnouncements}</a></p>
      </section>
      <section aria-labelledby="home-news">
        <h2 id="home-news">{t.content.latestNews}</h2>
        <NewsItems items={news} headingLevel={3} />
        <p><a href="/news?kind=news">{t.content.moreNews}</a></p>
      </section>
    </Layout>
  );
}
