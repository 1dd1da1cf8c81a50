import type { Executor } from '../../../../db/database.js';
import type { BodyKind } from '../../../../db/schema.js';
import type { Locale } from '../../../../web/i18n/index.js';
import { TARGET_BODY_KINDS } from '../../model.js';

// What the sending form offers: categories, places (county → township → village), the
// bodies a citizen may address (grouped by kind) and the public members. Four small queries.

export interface Option { id: number; name: string }
export interface RegionGroup { label: string; options: Option[] }
export interface FormOptions {
  categories: { key: string; name: string }[];
  /** Counties as single options, then one group per township (the township itself, then its villages). */
  regionTop: Option[];
  regionGroups: RegionGroup[];
  bodies: { kind: BodyKind; items: Option[] }[];
  members: Option[];
}

const local = (r: { name: string; name_en: string | null }, locale: Locale) => (locale === 'en' && r.name_en ? r.name_en : r.name);

export async function loadFormOptions(db: Executor, locale: Locale): Promise<FormOptions> {
  const today = new Date().toISOString().slice(0, 10);
  const [cats, regions, bodies, members] = await Promise.all([
    db.selectFrom('opinion_categories').select(['key', 'name', 'name_en']).orderBy('sort').orderBy('key').execute(),
    db.selectFrom('regions').select(['id', 'parent_id', 'level', 'name', 'name_en']).orderBy('sort').orderBy('id').limit(5000).execute(),
    db.selectFrom('bodies').select(['id', 'kind', 'name', 'name_en']).where('kind', 'in', [...TARGET_BODY_KINDS])
      .orderBy('sort').orderBy('id').limit(2000).execute(),
    db.selectFrom('users as u').innerJoin('member_profiles as mp', 'mp.user_id', 'u.id')
      .select(['u.id', 'u.display_name'])
      .where('mp.is_public', '=', 1).where('u.status', '=', 'active')
      .where((eb) => eb.exists(eb.selectFrom('memberships as m').select('m.id').whereRef('m.user_id', '=', 'u.id')
        .where('m.role', 'in', ['member', 'standing_member'])
        .where((e) => e.or([e('m.ends_on', 'is', null), e('m.ends_on', '>=', today)]))))
      .orderBy('mp.sort_name').orderBy('u.id').limit(2000).execute(),
  ]);
  const byParent = new Map<number, typeof regions>();
  for (const r of regions) {
    if (r.parent_id === null) continue;
    const list = byParent.get(r.parent_id);
    if (list) list.push(r);
    else byParent.set(r.parent_id, [r]);
  }
  const counties = regions.filter((r) => r.level === 'county' || (r.parent_id === null && r.level !== 'village'));
  const regionGroups: RegionGroup[] = [];
  const several = counties.length > 1;
  for (const county of counties) {
    for (const town of (byParent.get(county.id) ?? []).filter((r) => r.level === 'township')) {
      const label = several ? `${local(county, locale)} · ${local(town, locale)}` : local(town, locale);
      regionGroups.push({
        label,
        options: [{ id: town.id, name: local(town, locale) }, ...(byParent.get(town.id) ?? []).map((v) => ({ id: v.id, name: local(v, locale) }))],
      });
    }
  }
  return {
    categories: cats.map((c) => ({ key: c.key, name: locale === 'en' ? c.name_en : c.name })),
    regionTop: counties.map((c) => ({ id: c.id, name: local(c, locale) })),
    regionGroups,
    bodies: TARGET_BODY_KINDS.map((kind) => ({ kind, items: bodies.filter((b) => b.kind === kind).map((b) => ({ id: b.id, name: local(b, locale) })) }))
      .filter((g) => g.items.length > 0),
    members: members.map((m) => ({ id: m.id, name: m.display_name })),
  };
}

/** The name of a place as the form shows it in the preview ("城关镇 · 东门社区"). */
export function regionName(o: FormOptions, id: number): string {
  if (o.regionTop.some((r) => r.id === id)) return o.regionTop.find((r) => r.id === id)?.name ?? '';
  for (const g of o.regionGroups) {
    const at = g.options.findIndex((r) => r.id === id);
    if (at === 0) return g.label;
    if (at > 0) return `${g.label} · ${g.options[at]?.name ?? ''}`;
  }
  return '';
}
