import type { Hotspot, OpinionId, RegionId } from './hotspots.js';

// Where opinions come from: counts per region, and per hotspot within each region, for a
// map or a table of "what each township is writing about".

export interface RegionSummary {
  /** null: opinions that named no region. */
  regionId: RegionId | null;
  total: number;
  /** Hotspots with members from this region, largest count first. */
  groups: { key: string; count: number }[];
  /** Opinions of this region in no reported hotspot. */
  ungrouped: number;
}

export function summariseRegions(
  opinions: readonly { id: OpinionId; regionId: RegionId | null }[],
  groups: readonly Pick<Hotspot, 'key' | 'memberIds'>[],
  opts: { rollUp?: (regionId: RegionId) => RegionId | null } = {},
): RegionSummary[] {
  const groupOf = new Map<OpinionId, string>();
  for (const g of groups) for (const id of g.memberIds) groupOf.set(id, g.key);
  const byRegion = new Map<RegionId | null, { total: number; groups: Map<string, number> }>();
  for (const op of opinions) {
    const region = op.regionId === null ? null : opts.rollUp ? opts.rollUp(op.regionId) : op.regionId;
    let r = byRegion.get(region);
    if (!r) byRegion.set(region, (r = { total: 0, groups: new Map() }));
    r.total++;
    const key = groupOf.get(op.id);
    if (key !== undefined) r.groups.set(key, (r.groups.get(key) ?? 0) + 1);
  }
  return [...byRegion.entries()].map(([regionId, r]) => {
    const list = [...r.groups.entries()].map(([key, count]) => ({ key, count }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { regionId, total: r.total, groups: list, ungrouped: r.total - list.reduce((a, g) => a + g.count, 0) };
  }).sort((a, b) => b.total - a.total || String(a.regionId).localeCompare(String(b.regionId)));
}
