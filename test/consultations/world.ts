import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AppContext } from '../../src/context.js';
import { chinaDate } from '../../src/platform/calendar/index.js';
import { makeBody, makeUser, signedInJar } from '../helpers/factories.js';
import { type Jar, postForm } from '../helpers/http.js';

// A county for the consultation tests: the committee with its staff, a special committee,
// a community council with its facilitator, two government departments with a handler,
// two members, citizens, and the staff of an unrelated body.

export interface ConsultationWorld {
  committee: number; specialCommittee: number; council: number; department: number; otherDepartment: number; otherRoot: number;
  staff: number; facilitator: number; member: number; otherMember: number; deptHandler: number; outsider: number; citizens: number[];
}

let n = 0;
export async function makeConsultationWorld(ctx: AppContext): Promise<ConsultationWorld> {
  n++;
  const committee = await makeBody(ctx, { name: `青山县政协${n}`, kind: 'committee' });
  const specialCommittee = await makeBody(ctx, { name: `经济委员会${n}`, kind: 'special_committee', parentId: committee });
  const council = await makeBody(ctx, { name: `东门社区议事会${n}`, kind: 'community_council', parentId: committee });
  const gov = await makeBody(ctx, { name: `青山县人民政府${n}`, kind: 'committee' });
  const department = await makeBody(ctx, { name: `县交通运输局${n}`, kind: 'department', parentId: gov });
  const otherDepartment = await makeBody(ctx, { name: `县住建局${n}`, kind: 'department', parentId: gov });
  const otherRoot = await makeBody(ctx, { name: `邻县政协${n}`, kind: 'committee' });
  const staff = await makeUser(ctx, { name: `工作人员${n}`, roles: [{ bodyId: committee, role: 'staff' }] });
  const facilitator = await makeUser(ctx, { name: `议事会主持人${n}`, roles: [{ bodyId: council, role: 'council_facilitator' }] });
  const member = await makeUser(ctx, { name: `李委员${n}`, phone: `1390001${String(1000 + n).slice(-4)}`, roles: [{ bodyId: committee, role: 'member' }] });
  const otherMember = await makeUser(ctx, { name: `王委员${n}`, roles: [{ bodyId: committee, role: 'member' }] });
  const deptHandler = await makeUser(ctx, { name: `交通局办理员${n}`, roles: [{ bodyId: department, role: 'department_handler' }] });
  const outsider = await makeUser(ctx, { name: `邻县工作人员${n}`, roles: [{ bodyId: otherRoot, role: 'staff' }] });
  const citizens: number[] = [];
  for (let i = 0; i < 6; i++) citizens.push(await makeUser(ctx, { name: `市民${n}-${i}`, phone: `13800${String(n).padStart(2, '0')}${String(1000 + i).slice(-4)}` }));
  return { committee, specialCommittee, council, department, otherDepartment, otherRoot, staff, facilitator, member, otherMember, deptHandler, outsider, citizens };
}

export const dayOffset = (days: number): string => chinaDate(new Date(Date.now() + days * 86_400_000));

export async function jars(app: FastifyInstance, ctx: AppContext, ids: number[]): Promise<Jar[]> {
  return Promise.all(ids.map((id) => signedInJar(app, ctx, id)));
}

/** Posts a form and returns the id in the redirect's path (e.g. /admin/consultations/12?done=saved → 12). */
export async function postAndId(app: FastifyInstance, url: string, fields: Record<string, string | string[]>, jar: Jar, pattern: RegExp): Promise<number> {
  const res = await postForm(app, url, fields, jar);
  const id = pattern.exec(res.headers.location ?? '')?.[1];
  if (res.statusCode !== 303 || !id) throw new Error(`POST ${url}: ${res.statusCode} ${res.headers.location ?? ''} ${res.body.slice(0, 400)}`);
  return Number(id);
}

export const textOf = (res: LightMyRequestResponse): string => res.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
