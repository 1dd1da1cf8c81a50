import type { AppContext } from '../../src/context.js';
import { loadCurrentUser, type CurrentUser } from '../../src/platform/auth/current-user.js';
import { makeBody, makeUser } from './factories.js';

// A small county for the voice channel's tests: the committee with its staff office, a
// special committee, a township liaison group, a member studio, a member with a public
// profile, a government department with its handler, a county → township → village, and a citizen.

export interface OpinionWorld {
  committee: number; specialCommittee: number; liaisonGroup: number; studio: number; department: number; otherDepartment: number;
  county: number; township: number; village: number;
  admin: number; staff: number; member: number; otherMember: number; deptHandler: number; citizen: number; citizenPhone: string;
}

let n = 0;
export async function makeOpinionWorld(ctx: AppContext): Promise<OpinionWorld> {
  const db = ctx.database.db;
  n++;
  const committee = await makeBody(ctx, { name: `青山县政协${n}`, kind: 'committee' });
  const specialCommittee = await makeBody(ctx, { name: `社会和法制委员会${n}`, kind: 'special_committee', parentId: committee });
  const liaisonGroup = await makeBody(ctx, { name: `城关镇联络组${n}`, kind: 'liaison_group', parentId: committee });
  const studio = await makeBody(ctx, { name: `李委员工作室${n}`, kind: 'member_studio', parentId: committee });
  const govRoot = await makeBody(ctx, { name: `青山县人民政府${n}`, kind: 'committee' });
  const department = await makeBody(ctx, { name: `县住建局${n}`, kind: 'department', parentId: govRoot });
  const otherDepartment = await makeBody(ctx, { name: `县交通局${n}`, kind: 'department', parentId: govRoot });
  const region = (parent: number | null, level: 'county' | 'township' | 'village', name: string) =>
    db.insertInto('regions').values({ parent_id: parent, level, name: `${name}${n}`, name_en: null, code: `r${n}-${name}` }).returning('id').executeTakeFirstOrThrow().then((r) => r.id);
  const county = await region(null, 'county', '青山县');
  const township = await region(county, 'township', '城关镇');
  const village = await region(township, 'village', '东门社区');
  const admin = await makeUser(ctx, { name: `管理员${n}`, isAdmin: true });
  const staff = await makeUser(ctx, { name: `工作人员${n}`, roles: [{ bodyId: committee, role: 'staff' }] });
  const member = await makeUser(ctx, { name: `李委员${n}`, phone: `1390000${String(1000 + n).slice(-4)}`, roles: [{ bodyId: committee, role: 'member' }, { bodyId: studio, role: 'member' }] });
  const otherMember = await makeUser(ctx, { name: `王委员${n}`, roles: [{ bodyId: committee, role: 'member' }] });
  for (const uid of [member, otherMember]) {
    await db.insertInto('member_profiles').values({ user_id: uid, sector_id: null, region_id: township, gender: null, ethnicity: null, party: null, is_public: 1 }).execute();
  }
  const deptHandler = await makeUser(ctx, { name: `住建局办理员${n}`, phone: `1370000${String(1000 + n).slice(-4)}`, roles: [{ bodyId: department, role: 'department_handler' }] });
  const citizenPhone = `1380013${String(1000 + n).slice(-4)}`;
  const citizen = await makeUser(ctx, { name: '138****', phone: citizenPhone });
  return { committee, specialCommittee, liaisonGroup, studio, department, otherDepartment, county, township, village, admin, staff, member, otherMember, deptHandler, citizen, citizenPhone };
}

export async function userOf(ctx: AppContext, id: number): Promise<CurrentUser> {
  const u = await loadCurrentUser(ctx.database.db, id);
  if (!u) throw new Error(`no user ${id}`);
  return u;
}

export const sampleOpinion = (w: OpinionWorld, o: Record<string, unknown> = {}) => ({
  kind: 'opinion', title: '小区停车难问题', body: '东门社区老旧小区车位严重不足，晚上车辆占用消防通道，希望规划建设停车位。',
  category: 'traffic', regionId: String(w.village), target: 'member', targetMemberId: String(w.member), public: '1', ...o,
});
