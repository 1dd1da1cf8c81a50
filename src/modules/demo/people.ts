import { SECTORS } from './data/bodies.js';
import { EDUCATION, ETHNICITIES, FEMALE_CHARS, FOCUS, MALE_CHARS, OCCUPATIONS, SURNAMES } from './data/names.js';
import { TOWNSHIPS } from './data/places.js';
import type { Rng } from './prng.js';

export interface MemberSeed {
  name: string; sortName: string; gender: '男' | '女'; ethnicity: string; party: string;
  sector: number; township: number; village: number | null; occupation: string; bio: string;
  inTerm10: boolean; inTerm11: boolean; standing: boolean; committee: number | null; phone: string;
}

const PHONE_PREFIXES = ['135', '136', '137', '138', '139', '150', '151', '152', '158', '159', '182', '187', '188', '198'];

/** `count` fictional members; the same seed always gives the same people. */
export function generateMembers(rng: Rng, count: number, committees: number): MemberSeed[] {
  const names = new Set<string>();
  const phones = new Set<string>();
  const out: MemberSeed[] = [];
  for (let i = 0; i < count; i++) {
    const gender = rng.chance(0.62) ? '男' : '女';
    let name = '';
    let sortName = '';
    for (let tries = 0; tries < 30; tries++) {
      const [sn, sp] = rng.pick(SURNAMES);
      const chars = gender === '男' ? MALE_CHARS : FEMALE_CHARS;
      const given = rng.chance(0.7) ? [rng.pick(chars), rng.pick(chars)] : [rng.pick(chars)];
      name = sn + given.map((g) => g[0]).join('');
      sortName = [sp, ...given.map((g) => g[1])].join(' ');
      if (!names.has(name)) break;
    }
    names.add(name);
    let phone = '';
    do phone = rng.pick(PHONE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
    while (phones.has(phone));
    phones.add(phone);

    const sector = rng.int(0, SECTORS.length - 1);
    const sectorRow = SECTORS[sector]!;
    const township = rng.int(0, TOWNSHIPS.length - 1);
    const village = rng.chance(0.4) ? rng.int(0, 4) : null;
    const town = TOWNSHIPS[township]!;
    const villageName = town.villages[village ?? rng.int(0, 4)]![0];
    const occupation = rng.pick(OCCUPATIONS[sectorRow[0]] ?? ['青山县机关干部']).replace('{t}', town.name).replace('{v}', villageName);
    const party = sectorRow[2] ?? (rng.chance(0.45) ? '中共党员' : '群众');
    const r = rng.next();
    const inTerm10 = r < 0.75;
    const inTerm11 = r >= 0.2;
    const standing = inTerm11 && rng.chance(0.16);
    const committee = inTerm11 && rng.chance(0.8) ? rng.int(0, committees - 1) : null;
    const ethnicity = rng.pick(ETHNICITIES);
    const born = rng.int(1962, 1990);
    const [f1, f2] = rng.sample(FOCUS, 2);
    const proposals = rng.int(2, 14);
    const terms = inTerm10 && inTerm11 ? '第十届、第十一届县政协委员' : inTerm11 ? '第十一届县政协委员' : '第十届县政协委员';
    const bio = [
      `${name}，${gender}，${ethnicity}，${born}年${rng.int(1, 12)}月生，${rng.pick(EDUCATION)}学历，${party}。现任${occupation}。`,
      `${terms}${standing ? '、常委' : ''}。履职以来，重点关注${f1}和${f2}，深入${town.name}等地开展调研，累计提交提案${proposals}件、社情民意信息${rng.int(1, 9)}篇。`,
    ].join('\n');
    out.push({ name, sortName, gender, ethnicity, party, sector, township, village, occupation, bio, inTerm10, inTerm11, standing, committee, phone });
  }
  return out;
}
