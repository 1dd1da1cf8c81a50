import type { Executor } from '../../db/database.js';
import { insertMany } from './batch.js';
import { COMMITTEE, COUNCILS, DEPARTMENTS, SECTORS, SPECIAL_COMMITTEES, STUDIOS, TERMS } from './data/bodies.js';
import { COUNTY, TOWNSHIPS } from './data/places.js';

export interface Structure {
  countyId: number;
  townshipIds: number[];
  /** villageIds[township][village] */
  villageIds: number[][];
  sectorIds: number[];
  termIds: { t10: number; t11: number };
  committeeId: number;
  specialCommitteeIds: number[];
  liaisonGroupIds: number[];
  studioIds: { id: number; township: number }[];
  councilIds: number[];
  departmentIds: number[];
}

/** Regions, sectors, terms and bodies of the demo county. Existing sectors and terms are reused by name and number. */
export async function seedStructure(db: Executor, now: string): Promise<Structure> {
  const [countyId] = await insertMany(db, 'regions', [{ parent_id: null, level: 'county', name: COUNTY.name, name_en: COUNTY.en, code: COUNTY.code, sort: 0 }]);
  const townshipIds = await insertMany(db, 'regions', TOWNSHIPS.map((t, i) => ({
    parent_id: countyId, level: 'township', name: t.name, name_en: t.en, code: `${COUNTY.code}-${String(i + 1).padStart(2, '0')}`, sort: i + 1,
  })));
  const villageRows = TOWNSHIPS.flatMap((t, i) => t.villages.map(([name, en], j) => ({
    parent_id: townshipIds[i], level: 'village', name, name_en: en, code: `${COUNTY.code}-${String(i + 1).padStart(2, '0')}-${String(j + 1).padStart(2, '0')}`, sort: j + 1,
  })));
  const flatVillages = await insertMany(db, 'regions', villageRows);
  const villageIds = TOWNSHIPS.map((t, i) => flatVillages.slice(i * 5, i * 5 + t.villages.length));

  const existingSectors = new Map((await db.selectFrom('sectors').select(['id', 'name']).execute()).map((r) => [r.name, r.id]));
  const missing = SECTORS.map(([name, en], i) => ({ name, name_en: en, sort: i + 1 })).filter((s) => !existingSectors.has(s.name));
  const newIds = await insertMany(db, 'sectors', missing);
  missing.forEach((s, i) => existingSectors.set(s.name, newIds[i]!));
  const sectorIds = SECTORS.map(([name]) => existingSectors.get(name)!);

  const existingTerms = new Map((await db.selectFrom('terms').select(['id', 'number']).execute()).map((r) => [r.number, r.id]));
  const missingTerms = TERMS.filter((t) => !existingTerms.has(t.number));
  const termNew = await insertMany(db, 'terms', missingTerms);
  missingTerms.forEach((t, i) => existingTerms.set(t.number, termNew[i]!));
  const termIds = { t10: existingTerms.get(10)!, t11: existingTerms.get(11)! };

  const body = (kind: string, name: string, en: string, parent: number | null, region: number | null, sort: number, description = '') =>
    ({ kind, name, name_en: en, parent_id: parent, region_id: region, sort, description, created_at: now });
  const [committeeId] = await insertMany(db, 'bodies', [body('committee', COMMITTEE.name, COMMITTEE.en, null, countyId!, 0,
    '中国人民政治协商会议青山县委员会。')]);
  const specialCommitteeIds = await insertMany(db, 'bodies', SPECIAL_COMMITTEES.map(([name, en, desc], i) => body('special_committee', name, en, committeeId!, countyId!, i + 1, desc)));
  const liaisonGroupIds = await insertMany(db, 'bodies', TOWNSHIPS.map((t, i) => body('liaison_group', `县政协${t.name}委员联络组`, `${t.en} Members’ Liaison Group`, committeeId!, townshipIds[i]!, i + 1,
    `联系${t.name}的县政协委员，组织委员在${t.name}开展视察调研和协商活动。`)));
  const studioRows = STUDIOS.map(([town, name, en], i) => body('member_studio', name, en, liaisonGroupIds[town]!, townshipIds[town]!, i + 1, `设在${TOWNSHIPS[town]!.name}的委员工作室，每月15日委员接待群众。`));
  const studios = await insertMany(db, 'bodies', studioRows);
  const councilIds = await insertMany(db, 'bodies', COUNCILS.map(([town, village], i) => {
    const [vn, ven] = TOWNSHIPS[town]!.villages[village]!;
    const resident = vn.endsWith('村') ? '村民' : '居民';
    return body('community_council', `${vn}${resident}议事会`, `${ven} ${resident === '村民' ? 'Villagers’' : 'Residents’'} Council`, liaisonGroupIds[town]!, villageIds[town]![village]!, i + 1,
      `${vn}的${resident}协商议事机构，由${resident}代表、社区干部、驻社区单位和政协委员组成。`);
  }));
  const departmentIds = await insertMany(db, 'bodies', DEPARTMENTS.map(([name, en], i) => body('department', name, en, null, countyId!, i + 1, `${name}，承办政协提案和群众意见。`)));
  return {
    countyId: countyId!, townshipIds, villageIds, sectorIds, termIds, committeeId: committeeId!, specialCommitteeIds, liaisonGroupIds,
    studioIds: studios.map((id, i) => ({ id, township: STUDIOS[i]![0] })), councilIds, departmentIds,
  };
}
