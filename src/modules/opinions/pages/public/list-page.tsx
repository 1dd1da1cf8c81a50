import { Layout } from '../../../../web/layout.js';
import { usePage } from '../../../../web/page-context.js';
import { showDate } from '../../../content/shared/dates.js';
import { type Choices, type Cursor, type PublicFilter, type PublicListItem, type PublicPage, COUNT_CAP, PUBLIC_STATUSES, SEARCH_CAP, cursorParam, placePath } from '../../public-queries.js';
import { statusLabel } from '../../timeline.js';
import { excerpt, kindLabel, replyState } from './shared.js';

export interface PublicListProps {
  filter: PublicFilter;
  page: PublicPage;
  choices: Choices;
  /** The hotspot filtered on: its words, or null when it is no longer in the latest snapshot. */
  hotspot: { terms: string[] } | null;
}

const BODY_KINDS = ['committee', 'special_committee', 'liaison_group', 'member_studio', 'community_council'] as const;

/** The list's URL with these filters (and a page position). */
export function listHref(f: PublicFilter, pos: { before?: Cursor; after?: Cursor } = {}): string {
  const q = new URLSearchParams();
  if (f.q) q.set('q', f.q);
  if (f.category) q.set('category', f.category);
  if (f.bodyId) q.set('body', String(f.bodyId));
  if (f.regionId) q.set('region', String(f.regionId));
  if (f.status) q.set('status', f.status);
  if (f.hotspot) q.set('hotspot', f.hotspot);
  if (pos.before) q.set('before', cursorParam(pos.before));
  if (pos.after) q.set('after', cursorParam(pos.after));
  const s = q.toString();
  return s ? `/opinions?${s}` : '/opinions';
}

export function PublicListPage({ filter, page, choices, hotspot }: PublicListProps) {
  const { t, locale } = usePage();
  const m = t.opinionsPublic;
  const name = (o: { name: string; nameEn: string | null }) => (locale === 'en' && o.nameEn ? o.nameEn : o.name);
  const counties = choices.regions.filter((r) => r.level === 'county');
  const filtered = Boolean(filter.q || filter.category || filter.bodyId || filter.regionId || filter.status || filter.hotspot);
  return (
    <Layout title={m.listTitle}>
      <h1>{m.listTitle}</h1>
      <p class="xs-lead">{m.listIntro}</p>
      <p class="xs-actions">
        <a class="xs-button" href="/opinions/new">{m.sendOpinion}</a>{' '}
        <a href="/opinions/track">{m.trackOpinion}</a>{' · '}
        <a href="/opinions/hotspots">{m.hotspotsLink}</a>{' · '}
        <a href="/opinions/stats">{m.statsLink}</a>
      </p>
      <form method="get" action="/opinions" class="xs-filters" role="search" aria-label={m.filtersTitle}>
        <div class="xs-field">
          <label class="xs-label" for="f-q">{m.filterQuery}</label>
          <input class="xs-input" id="f-q" name="q" type="search" maxLength={100} value={filter.q ?? ''} />
        </div>
        <div class="xs-field">
          <label class="xs-label" for="f-category">{m.filterCategory}</label>
          <select class="xs-select" id="f-category" name="category">
            <option value="">{m.allCategories}</option>
            {choices.categories.map((c) => <option key={c.key} value={c.key} selected={filter.category === c.key}>{locale === 'en' ? c.nameEn : c.name}</option>)}
          </select>
        </div>
        <div class="xs-field">
          <label class="xs-label" for="f-body">{m.filterBody}</label>
          <select class="xs-select" id="f-body" name="body">
            <option value="">{m.allBodies}</option>
            {BODY_KINDS.map((k) => {
              const of = choices.bodies.filter((b) => b.kind === k);
              return of.length ? (
                <optgroup key={k} label={t.content.kindPlural(k)}>
                  {of.map((b) => <option key={b.id} value={String(b.id)} selected={filter.bodyId === b.id}>{name(b)}</option>)}
                </optgroup>
              ) : null;
            })}
          </select>
        </div>
        <div class="xs-field">
          <label class="xs-label" for="f-region">{m.filterRegion}</label>
          <select class="xs-select" id="f-region" name="region">
            <option value="">{m.allRegions}</option>
            {counties.map((c) => (
              <optgroup key={c.id} label={name(c)}>
                <option value={String(c.id)} selected={filter.regionId === c.id}>{name(c)}</option>
                {choices.regions.filter((r) => r.parentId === c.id).map((r) => (
                  <option key={r.id} value={String(r.id)} selected={filter.regionId === r.id}>{name(r)}</option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div class="xs-field">
          <label class="xs-label" for="f-status">{m.filterStatus}</label>
          <select class="xs-select" id="f-status" name="status">
            <option value="">{m.allStatuses}</option>
            {PUBLIC_STATUSES.map((s) => <option key={s} value={s} selected={filter.status === s}>{statusLabel(t, s)}</option>)}
          </select>
        </div>
        {filter.hotspot && <input type="hidden" name="hotspot" value={filter.hotspot} />}
        <div class="xs-field">
          <button type="submit" class="xs-button">{m.applyFilter}</button>
        </div>
      </form>
      {filter.hotspot && (
        <p class="xs-notice">
          {hotspot ? m.hotspotFilter(hotspot.terms.join('、')) : m.hotspotGone}{' '}
          <a href="/opinions">{m.showAll}</a>
        </p>
      )}
      <p class="xs-muted" role="status">
        {page.total === null ? '' : page.totalMore ? m.count(COUNT_CAP, true) : m.count(page.total, false)}
        {filtered && <>{page.total === null ? '' : ' · '}<a href="/opinions">{m.clearFilter}</a></>}
      </p>
      {page.searchCapped && <p class="xs-muted">{m.searchCapped(SEARCH_CAP)}</p>}
      {page.items.length === 0 ? <p>{m.none}</p> : (
        <ul class="xs-list">
          {page.items.map((o) => <Item key={o.id} o={o} place={placePath(choices.regions, o.regionId, locale).slice(-2).join(' ')} />)}
        </ul>
      )}
      {(page.older || page.newer) && (
        <nav class="xs-pagination" aria-label={m.listPages}>
          {page.newer && <a rel="prev" href={listHref(filter, { after: page.newer })}>{m.newer}</a>}
          {page.newer && <a href={listHref(filter)}>{m.newest}</a>}
          {page.older && <a rel="next" href={listHref(filter, { before: page.older })}>{m.older}</a>}
        </nav>
      )}
    </Layout>
  );
}

function Item({ o, place }: { o: PublicListItem; place: string }) {
  const { t, locale } = usePage();
  const m = t.opinionsPublic;
  const reply = replyState(t, o);
  const handler = o.handlerMember ?? (locale === 'en' && o.handlerBodyEn ? o.handlerBodyEn : o.handlerBody);
  const colon = locale === 'en' ? ': ' : '：';
  return (
    <li class="xs-opinion">
      <h2 class="xs-list__title xs-opinion__title"><a href={`/opinions/${o.id}`}>{o.title}</a></h2>
      <p class="xs-list__meta">
        <span class="xs-tag">{statusLabel(t, o.status)}</span>
        {kindLabel(t, o.kind)} · {locale === 'en' ? o.categoryNameEn : o.categoryName}{place ? ` · ${place}` : ''}
      </p>
      <p>{excerpt(o.body, 90)}</p>
      <p class="xs-list__meta">
        {m.receivedOn} {showDate(o.createdAt)} · {m.handledBy}{colon}{handler}{reply.text ? ` · ${reply.text}` : ''}
      </p>
      {o.replyText && <p><strong>{m.replyExcerpt}{colon}</strong>{excerpt(o.replyText, 70)}</p>}
    </li>
  );
}
