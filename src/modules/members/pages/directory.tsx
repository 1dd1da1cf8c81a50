import { Select, TextInput } from '../../../web/components/fields.js';
import { Pagination } from '../../../web/components/pagination.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import type { Named } from '../queries.js';
import type { Directory } from '../service.js';

export const localName = (n: Named, locale: string): string => (locale === 'en' && n.nameEn ? n.nameEn : n.name);

export function DirectoryPage({ dir }: { dir: Directory }) {
  const { t, locale } = usePage();
  const m = t.members;
  const f = dir.filters;
  const values = { sector: f.sector, committee: f.committee, township: f.township, term: f.term, q: f.q };
  const opts = (list: Named[]) => list.map((o) => ({ value: o.id, label: localName(o, locale) }));
  const filtered = Object.values(values).some((v) => v !== null && v !== '');
  return (
    <Layout title={m.directoryTitle} description={m.directoryLead}>
      <h1>{m.directoryTitle}</h1>
      <p class="xs-lead">{m.directoryLead}</p>
      <form method="get" action="/members" class="xs-panel" aria-labelledby="member-filter-title">
        <h2 id="member-filter-title" class="xs-visually-hidden">{m.filterHeading}</h2>
        <div class="xs-filters">
          <Select name="sector" label={m.sector} blank={m.anySector} options={opts(dir.options.sectors)} form={{ values }} />
          <Select name="committee" label={m.committee} blank={m.anyCommittee} options={opts(dir.options.committees)} form={{ values }} />
          <Select name="township" label={m.township} blank={m.anyTownship} options={opts(dir.options.townships)} form={{ values }} />
          <Select name="term" label={m.term} blank={m.anyTerm} options={opts(dir.options.terms)} form={{ values }} />
          <TextInput name="q" label={m.nameSearch} hint={m.nameSearchHint} maxLength={20} form={{ values }} />
        </div>
        <button type="submit" class="xs-button">{m.apply}</button>
        {filtered && <> <a href="/members">{m.clear}</a></>}
      </form>
      <p role="status">{m.resultsCount(dir.total)}</p>
      {dir.members.length === 0 ? <p>{m.noResults}</p> : (
        <ul class="xs-list">
          {dir.members.map((x) => (
            <li key={x.id}>
              <a class="xs-list__title" href={`/members/${x.id}`}>{x.name}</a>
              {x.isStanding && <> <span class="xs-tag">{m.standing}</span></>}
              <div class="xs-list__meta">
                {[x.sector && localName(x.sector, locale), x.township && localName(x.township, locale), ...x.committees.map((c) => localName(c, locale))].filter(Boolean).join(' · ')}
              </div>
              {x.occupation && <div class="xs-list__meta">{x.occupation}</div>}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={dir.page} pages={dir.pages} baseUrl="/members" query={values} />
    </Layout>
  );
}
