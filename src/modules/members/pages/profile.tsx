import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import type { BodyRef, MemberProfile } from '../queries.js';
import { localName } from './directory.js';

export function ProfilePage({ p }: { p: MemberProfile }) {
  const { t, locale } = usePage();
  const m = t.members;
  const bodies = (kind: BodyRef['kind']) => {
    const list = p.bodies.filter((b) => b.kind === kind).map((b) => localName(b, locale));
    return list.length ? list.join('、') : m.none;
  };
  const rows: [string, string][] = [
    [m.sector, p.sector ? localName(p.sector, locale) : m.none],
    [m.township, p.township ? localName(p.township, locale) : m.none],
    [m.occupation, p.occupation || m.none],
    [m.specialCommittees, bodies('special_committee')],
    [m.liaisonGroups, bodies('liaison_group')],
    [m.termsServed, p.terms.length ? p.terms.map((x) => localName(x, locale)).join('、') : m.none],
  ];
  if (p.bodies.some((b) => b.kind === 'member_studio')) rows.splice(5, 0, [m.studios, bodies('member_studio')]);
  const gender = p.gender === 'male' || p.gender === '男' ? m.male : p.gender === 'female' || p.gender === '女' ? m.female : p.gender;
  if (gender) rows.unshift([m.gender, gender]);
  if (p.party) rows.splice(1, 0, [m.party, p.party]);
  return (
    <Layout title={m.profileTitle(p.name)} description={p.occupation}>
      <nav class="xs-breadcrumbs" aria-label={t.common.breadcrumb}>
        <ol><li><a href="/">{t.common.home}</a></li><li><a href="/members">{m.directoryTitle}</a></li></ol>
      </nav>
      <h1>{p.name}{p.isStanding && <> <span class="xs-tag">{m.standingMember}</span></>}</h1>
      <dl class="xs-summary">
        {rows.map(([k, v]) => <><dt key={`t-${k}`}>{k}</dt><dd key={`d-${k}`}>{v}</dd></>)}
      </dl>
      {p.bio && (
        <section aria-labelledby="member-bio">
          <h2 id="member-bio">{m.bio}</h2>
          {p.bio.split(/\n+/).map((para, i) => <p key={i} class="xs-prose">{para}</p>)}
        </section>
      )}
      <p><a class="xs-button" href={`/opinions/new?member=${p.id}`}>{t.opinionsCitizen.sendToMember}</a></p>
      <p><a href="/members">{m.backToDirectory}</a></p>
    </Layout>
  );
}
