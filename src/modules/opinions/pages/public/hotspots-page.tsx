import { Layout } from '../../../../web/layout.js';
import { usePage } from '../../../../web/page-context.js';
import { showDate, showDateTime } from '../../../content/shared/dates.js';
import type { HotspotSnapshot, SnapshotGroup } from '../../hotspot-job.js';
import { type RegionNode, placePath } from '../../public-queries.js';

export interface HotspotsProps {
  snapshot: HotspotSnapshot | null;
  regions: RegionNode[];
  /** Titles of the opinions linked from the page (representatives), by id. */
  titles: Map<number, string>;
  /** Staff see every opinion (links into the handlers' pages); the public sees public ones. */
  staff?: boolean;
}

export function HotspotsPage({ snapshot, regions, titles, staff = false }: HotspotsProps) {
  const { t, locale } = usePage();
  const m = t.opinionsPublic;
  const title = staff ? m.hotspotsStaffTitle : m.hotspotsTitle;
  const link = (id: number) => (staff ? `/handle/opinions/${id}` : `/opinions/${id}`);
  const placeName = (id: number | null) => (id === null ? m.placeNone : placePath(regions, id, locale).slice(-2).join(' ') || m.placeNone);
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <p class="xs-lead">{staff ? m.hotspotsStaffIntro : m.hotspotsIntro}</p>
      {staff ? <p><a href="/opinions/hotspots">{m.hotspotsPublicLink}</a></p> : <p><a href="/opinions">{m.listTitle}</a> · <a href="/opinions/new">{m.sendOpinion}</a></p>}
      {!snapshot ? <p>{m.hotspotsNotYet}</p> : (
        <>
          <p class="xs-muted">{m.hotspotsUpdated(showDateTime(snapshot.computedAt))}</p>
          {snapshot.groups.length === 0 ? <p>{m.hotspotsNone}</p> : (
            <ol class="xs-list xs-hotspots">
              {snapshot.groups.map((g, i) => (
                <li key={g.key} class="xs-hotspot">
                  <h2 class="xs-list__title">
                    <span class="xs-visually-hidden">{m.hotspotRank(i + 1)}：</span>{g.labelTerms.join('、')}
                  </h2>
                  <p class="xs-list__meta">
                    <strong>{m.hotspotSize(g.size)}</strong> · {m.hotspotPeriod(showDate(g.firstAt), showDate(g.lastAt))}
                  </p>
                  <p>
                    {m.hotspotRegions}{locale === 'en' ? ': ' : '：'}
                    {g.regions.slice(0, 6).map((r) => m.hotspotRegionCount(placeName(r.regionId), r.count)).join(locale === 'en' ? '; ' : '；')}
                    {g.regions.length > 6 ? '…' : ''}
                  </p>
                  <p class="xs-list__meta">{m.hotspotExamples}</p>
                  <ul>
                    {linked(g, staff).filter((id) => titles.has(id)).map((id) => <li key={id}><a href={link(id)}>{titles.get(id)}</a></li>)}
                  </ul>
                  {!staff && <p><a href={`/opinions?hotspot=${encodeURIComponent(g.key)}`}>{m.hotspotSeeAll(g.size)}</a></p>}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </Layout>
  );
}

/** The opinions a group links to: its most typical ones, and for staff also its newest ten. */
export function linked(g: SnapshotGroup, staff: boolean): number[] {
  return staff ? [...new Set([...g.representativeIds, ...g.memberIds.slice(0, 10)])] : g.representativeIds;
}
