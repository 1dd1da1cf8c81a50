import type { AppContext } from '../../src/context.js';
import { makeBody, makeUser } from '../helpers/factories.js';

// A county for the grassroots tests: the committee, a township liaison group under it, a
// community council under the group (in a village of the township), another council in
// another township, a government department; their organisers, two members and a citizen.

export interface GrassrootsWorld {
  committee: number; group: number; council: number; otherCouncil: number; department: number; township: number;
  staff: number; groupStaff: number; facilitator: number; otherFacilitator: number; member: number; otherMember: number; citizen: number;
}

export async function makeGrassrootsWorld(ctx: AppContext): Promise<GrassrootsWorld> {
  const db = ctx.database.db;
  const region = async (name: string, level: 'county' | 'township' | 'village', parent: number | null) =>
    (await db.insertInto('regions').values({ name, level, parent_id: parent, name_en: null, code: null }).returning('id').executeTakeFirstOrThrow()).id;
  const county = await region('青山县', 'county', null);
  const township = await region('东城街道', 'township', county);
  const village = await region('东门社区', 'village', township);
  const otherVillage = await region('西山村', 'village', await region('西山镇', 'township', county));
  const committee = await makeBody(ctx, { name: '青山县政协', kind: 'committee' });
  const group = await makeBody(ctx, { name: '东城街道政协联络组', kind: 'liaison_group', parentId: committee });
  const council = await makeBody(ctx, { name: '东门社区议事会', kind: 'community_council', parentId: group });
  const otherCouncil = await makeBody(ctx, { name: '西山村议事会', kind: 'community_council', parentId: committee });
  await db.updateTable('bodies').set({ region_id: village }).where('id', '=', council).execute();
  await db.updateTable('bodies').set({ region_id: otherVillage }).where('id', '=', otherCouncil).execute();
  const gov = await makeBody(ctx, { name: '青山县人民政府', kind: 'committee' });
  const department = await makeBody(ctx, { name: '县住建局', kind: 'department', parentId: gov });
  return {
    committee, group, council, otherCouncil, department, township,
    staff: await makeUser(ctx, { name: '县政协工作人员', roles: [{ bodyId: committee, role: 'staff' }] }),
    groupStaff: await makeUser(ctx, { name: '联络组工作人员', roles: [{ bodyId: group, role: 'staff' }] }),
    facilitator: await makeUser(ctx, { name: '东门议事会主持人', roles: [{ bodyId: council, role: 'council_facilitator' }] }),
    otherFacilitator: await makeUser(ctx, { name: '西山议事会主持人', roles: [{ bodyId: otherCouncil, role: 'council_facilitator' }] }),
    member: await makeUser(ctx, { name: '张委员', roles: [{ bodyId: committee, role: 'member' }] }),
    otherMember: await makeUser(ctx, { name: '赵委员', roles: [{ bodyId: committee, role: 'member' }] }),
    citizen: await makeUser(ctx, { name: '居民甲', phone: '13800009999' }),
  };
}
