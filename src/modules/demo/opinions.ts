import type { Executor } from '../../db/database.js';
import { addWorkingDays, chinaDate, isWorkingDay, nextWorkingDay, workingDaysBetween } from '../../platform/calendar/index.js';
import { documentTokens, excerptOf } from '../../platform/search/index.js';
import { AUDIT_ANCHOR_KEY, type NewEvent, appendEvent } from '../../platform/timeline/audit.js';
import { canonicalJson, eventHash } from '../../platform/timeline/canonical.js';
import { maskPhone } from '../../platform/validation.js';
import { DEMO_TOPICS, type DemoOpinion, type RouteLabel, generateOpinions } from '../opinions/analysis/demo-corpus.js';
import { OpinionRouter } from '../opinions/analysis/router.js';
import { dueDates } from '../opinions/clocks.js';
import { CODE_ALPHABET, CODE_LENGTH } from '../opinions/model.js';
import { confidentEnough, saveRouter } from '../opinions/router-store.js';
import { sweepSla } from '../opinions/sla.js';
import { contentHash } from '../opinions/submit.js';
import { insertAll, insertMany } from './batch.js';
import { DEPARTMENTS } from './data/bodies.js';
import { TOWNSHIPS } from './data/places.js';
import { Rng } from './prng.js';
import type { Structure } from './seed-structure.js';

// The demo county's voice channel: about two thousand opinions from the demo corpus over two
// years, each with a life that is consistent with the rules — sent to a body, a member or
// "let the committee route it", routed by staff, accepted (or declined, merged, withdrawn),
// asked about, forwarded to a department that answers, replied, rated (a "not satisfied"
// reopens it once) or closed unrated after ten working days, with the reminders and
// escalations the clocks would have produced. Only what has happened by "now" is stored,
// so the last weeks hold the open and overdue ones. The routed opinions train the
// routing suggester. Rows go in in bulk; the timeline is hash-chained in time order.

export const DEMO_OPINIONS = 2000;
const DEMO_OPINION_SEED = 20_260_303;
const SPAN_DAYS = 730;
const CITIZENS = 700;
const DAY = 86_400_000;
const MINUTE = 60_000;

/** Corpus routing labels → the demo's special committees, by name (the first that exists). */
const LABEL_BODIES: Record<Exclude<RouteLabel, 'township'>, string[]> = {
  social: ['社会和法制委员会'],
  economy: ['经济委员会'],
  agri: ['农业农村委员会', '农业和农村委员会'],
  edu: ['教科卫体委员会'],
  env: ['人口资源环境委员会', '农业和农村委员会'],
  urban: ['城建委员会', '城乡建设委员会', '经济委员会'],
};

/** Category → the department an opinion of it is forwarded to (index into DEPARTMENTS). */
const CATEGORY_DEPARTMENT: Record<string, number> = {
  livelihood: 0, elderly: 0, safety: 0, employment: 0, other: 0, urban: 1, environment: 1, traffic: 2, health: 3, education: 4, agriculture: 5,
};

/** Category → the special committee suggested when the model is unsure (set as the category default). */
const CATEGORY_DEFAULT: Record<string, string[]> = {
  livelihood: ['社会和法制委员会'], elderly: ['社会和法制委员会'], safety: ['社会和法制委员会'], employment: ['经济委员会'],
  education: ['教科卫体委员会'], health: ['教科卫体委员会'], agriculture: ['农业和农村委员会', '农业农村委员会'],
  environment: ['人口资源环境委员会', '农业和农村委员会'], urban: ['城建委员会', '经济委员会'], traffic: ['经济委员会'],
};

const REPLIES = [
  '您反映的“{t}”问题已收悉。经与{d}沟通核实，{a}。感谢您对政协工作的关心和支持。',
  '关于“{t}”，我们会同{d}进行了实地调研。{a}。后续进展将在本平台更新。',
  '您好！您提出的意见很有价值。经协调{d}，{a}。如有新的情况，欢迎继续反映。',
  '收到您的意见后，委员到现场进行了察看，并与{d}座谈。{a}。我们将持续跟踪办理情况。',
];
const ACTIONS = [
  '相关部门已制定整改方案，计划在两个月内完成', '已纳入今年的民生实事项目，资金已落实', '已责成属地乡镇（街道）限期整改，目前已初步解决',
  '已将该问题列入明年的重点工作计划', '相关部门已安排专人负责，整改工作正在推进', '经核实情况属实，已完成整改并建立长效机制',
];
const DECLINES = [
  '该事项属于司法程序处理范围，请通过法律途径依法解决。',
  '您反映的内容已有生效的处理决定，不属于本平台受理范围。请拨打 12345 政务服务热线咨询。',
  '意见内容不够具体，无法核实。欢迎补充具体地点和情况后重新提交。',
  '该事项属于单位内部管理事务，建议向所在单位反映。',
];
const QUESTIONS = ['请问具体是在哪个位置？方便的话请补充门牌号或附近的标志性建筑。', '这个情况持续多长时间了？之前是否向社区反映过？', '请问涉及的住户大约有多少户？'];
const ANSWERS = ['在小区东门进去第二栋楼旁边。', '已经有大半年了，向社区反映过两次，没有结果。', '大约有六七十户。'];
const PROGRESS = ['已到现场查看，正在制定方案。', '已召开专题会议研究，正在测算所需资金。', '已与属地乡镇对接，近期将开工。'];
const INSTRUCTIONS = ['请核实情况，提出解决方案并答复群众。', '请于期限内研究办理并书面答复。', '请会同属地乡镇（街道）研究解决。'];

interface Entry { key: number; owner: number; kind: 'addition' | 'question' | 'reply' | 'decline_reason' | 'note'; body: string; authorId: Actor; authorBodyId: number | null; at: number }
type Actor = number | null | { $ref: 'citizen'; key: number };
interface Ev { at: number; streamType: 'opinion' | 'action_item'; stream: number; action: string; actorId: Actor; data: Record<string, unknown> }
interface Item { key: number; plan: Plan; dept: number; user: number; dueOn: string; createdAt: number; status: 'open' | 'answered' | 'done'; answer: string | null; answeredAt: number | null; doneAt: number | null; answeredBy: number | null; remindedAt: number | null; escalatedAt: number | null; updates: { kind: 'progress' | 'answer' | 'done'; body: string; at: number }[] }

/** References resolved after the bulk inserts: an entry, an action item, an opinion. */
const ref = (kind: 'entry' | 'item' | 'op', key: number) => ({ $ref: kind, key });

interface Plan {
  i: number;
  d: DemoOpinion;
  code: string;
  created: number;
  citizenIdx: number;
  regionId: number;
  township: number;
  targetType: 'body' | 'member' | 'route';
  targetBodyId: number | null;
  targetUserId: number | null;
  handlerBodyId: number;
  handlerUserId: number | null;
  suggestedBodyId: number | null;
  routed: boolean;
  acceptDue: string;
  replyDue: string;
  status: 'received' | 'accepted' | 'declined' | 'replied' | 'closed' | 'withdrawn' | 'merged';
  publicConsent: boolean;
  publicVisible: boolean;
  acceptedAt: number | null; declinedAt: number | null; firstRepliedAt: number | null; repliedAt: number | null; closedAt: number | null; withdrawnAt: number | null;
  reopenCount: number;
  mergedInto: number | null;
  replyText: string | null;
  rating: { handling: number; result: number } | null;
  acceptRemindedAt: number | null; replyRemindedAt: number | null; escalatedAt: number | null;
  updatedAt: number;
  events: Ev[];
}

export interface OpinionSeedSummary { opinions: number; byStatus: Record<string, number>; events: number; routerExamples: number; publicOpinions: number }

/** A moment on a China calendar day, hour:minute China time. */
const onDay = (date: string, hour: number, minute: number): number => Date.parse(`${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`);

function lastWorkingDayBefore(date: string): string {
  let ms = Date.parse(`${date}T00:00:00Z`) - DAY;
  for (let i = 0; i < 60 && !isWorkingDay(new Date(ms).toISOString().slice(0, 10)); i++) ms -= DAY;
  return new Date(ms).toISOString().slice(0, 10);
}

function trackingCode(rng: Rng, used: Set<string>): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < CODE_LENGTH; i++) s += CODE_ALPHABET[Math.floor(rng.next() * CODE_ALPHABET.length)];
    if (!used.has(s)) { used.add(s); return s; }
  }
}

/**
 * Seeds the demo opinions in the caller's transaction (after the structure, members and
 * staff exist). Deterministic for a given `now`.
 */
export async function seedOpinions(db: Executor, s: Structure, o: { staffId: number; now: Date; count?: number }): Promise<OpinionSeedSummary> {
  const rng = new Rng(DEMO_OPINION_SEED);
  const now = o.now.getTime();
  const nowIso = o.now.toISOString();
  const count = o.count ?? DEMO_OPINIONS;

  // Bodies by name, the committee's categories' defaults, citizens, department handlers, members with a seat.
  const bodies = await db.selectFrom('bodies').select(['id', 'name', 'kind']).execute();
  const byName = new Map(bodies.filter((b) => b.kind === 'special_committee').map((b) => [b.name, b.id]));
  const firstOf = (names: string[]): number | null => names.map((n) => byName.get(n)).find((x) => x !== undefined) ?? null;
  const labelBody = Object.fromEntries(Object.entries(LABEL_BODIES).map(([k, names]) => [k, firstOf(names) ?? s.specialCommitteeIds[0]!])) as Record<string, number>;
  for (const [key, names] of Object.entries(CATEGORY_DEFAULT)) {
    const id = firstOf(names);
    if (id !== null) await db.updateTable('opinion_categories').set({ default_body_id: id }).where('key', '=', key).where('default_body_id', 'is', null).execute();
  }
  const citizenIds = await insertMany(db, 'users', Array.from({ length: CITIZENS }, (_, i) => ({
    display_name: maskPhone(citizenPhone(i)), username: null, password_hash: null, totp_secret: null, is_admin: 0, status: 'active', locale: null, created_at: nowIso, erased_at: null,
  })));
  await insertAll(db, 'user_pii', citizenIds.map((id, i) => ({ user_id: id, phone: citizenPhone(i), real_name: null, id_number: null, email: null, updated_at: nowIso })));
  const deptUsers = await insertMany(db, 'users', DEPARTMENTS.map(([name]) => ({
    display_name: `${name}承办人`, username: null, password_hash: null, totp_secret: null, is_admin: 0, status: 'active', locale: null, created_at: nowIso, erased_at: null,
  })));
  await insertAll(db, 'memberships', deptUsers.map((uid, i) => ({
    user_id: uid, body_id: s.departmentIds[i], role: 'department_handler', term_id: null, title: '承办人', starts_on: null, ends_on: null, created_at: nowIso,
  })));
  const today = chinaDate(o.now);
  const seats = await db.selectFrom('memberships').innerJoin('member_profiles', 'member_profiles.user_id', 'memberships.user_id')
    .select(['memberships.user_id', 'memberships.body_id', 'memberships.id'])
    .where('memberships.role', 'in', ['member', 'standing_member']).where('member_profiles.is_public', '=', 1)
    .where((eb) => eb.or([eb('memberships.ends_on', 'is', null), eb('memberships.ends_on', '>=', today)]))
    .orderBy('memberships.id').execute();
  const seatOf = new Map<number, number>();
  for (const r of seats) if (!seatOf.has(r.user_id)) seatOf.set(r.user_id, r.body_id);
  const members = [...seatOf.keys()].slice(0, 60);

  // Region ids by township and village name.
  const townshipOf = (name: string | undefined): number => (name ? TOWNSHIPS.findIndex((t) => name.startsWith(t.name)) : -1);
  const regionOf = (name: string | undefined, town: number): number => {
    if (!name || town < 0) return s.countyId;
    const t = TOWNSHIPS[town]!;
    const v = t.villages.findIndex(([vn]) => name === `${t.name}${vn}`);
    return v >= 0 ? s.villageIds[town]![v]! : s.townshipIds[town]!;
  };
  const topicName = new Map(DEMO_TOPICS.map((t) => [t.key, t.name]));

  // 1. Every opinion's life, in memory.
  const corpus = [...generateOpinions(count, DEMO_OPINION_SEED)];
  const created = corpus.map(() => now - Math.floor(SPAN_DAYS * DAY * rng.next() ** 1.25) - 30 * MINUTE).sort((a, b) => a - b)
    .map((t) => { const d = chinaDate(new Date(t)); return Math.min(onDay(d, 7 + rng.int(0, 15), rng.int(0, 59)), now - 5 * MINUTE); });
  const codes = new Set<string>();
  const entries: Entry[] = [];
  const items: Item[] = [];
  const plans: Plan[] = [];
  let entryKey = 0;
  const byTopic = new Map<string, Plan[]>();

  for (const [i, d] of corpus.entries()) {
    const t0 = created[i]!;
    let town = townshipOf(d.regionName);
    const regionId = regionOf(d.regionName, town);
    if (town < 0) town = rng.int(0, TOWNSHIPS.length - 1);
    const labelId = d.label === 'township' ? s.liaisonGroupIds[town]! : labelBody[d.label]!;
    const { acceptDue, replyDue } = dueDates(new Date(t0), { accept_days: 2, reply_days: 15 });
    const p: Plan = {
      i, d, code: trackingCode(rng, codes), created: t0, citizenIdx: rng.int(0, CITIZENS - 1), regionId, township: town,
      targetType: 'body', targetBodyId: null, targetUserId: null, handlerBodyId: s.committeeId, handlerUserId: null, suggestedBodyId: null, routed: false,
      acceptDue, replyDue, status: 'received', publicConsent: rng.chance(0.62), publicVisible: false,
      acceptedAt: null, declinedAt: null, firstRepliedAt: null, repliedAt: null, closedAt: null, withdrawnAt: null, reopenCount: 0, mergedInto: null,
      replyText: null, rating: null, acceptRemindedAt: null, replyRemindedAt: null, escalatedAt: null, updatedAt: t0, events: [],
    };
    // Where the citizen sent it.
    if (rng.chance(0.1) && members.length) {
      p.targetType = 'member';
      p.targetUserId = rng.pick(members);
      p.handlerUserId = p.targetUserId;
      p.handlerBodyId = seatOf.get(p.targetUserId)!;
    } else if (d.targetKind === 'auto') {
      p.targetType = 'route';
      p.handlerBodyId = s.committeeId;
    } else {
      const studio = s.studioIds.find((x) => x.township === town)?.id ?? rng.pick(s.studioIds).id;
      const target = d.targetKind === 'special_committee' ? (d.label === 'township' ? s.liaisonGroupIds[town]! : labelId)
        : d.targetKind === 'liaison_group' ? s.liaisonGroupIds[town]!
        : d.targetKind === 'member_studio' ? studio : rng.pick(s.councilIds);
      p.targetBodyId = target;
      p.handlerBodyId = target;
    }
    const handlerActor = (): number => p.handlerUserId ?? o.staffId;
    const citizen: Actor = { $ref: 'citizen', key: p.citizenIdx };
    /** Records an event if it has happened by now. */
    const ev = (at: number, action: string, data: Record<string, unknown> = {}, actorId: Actor = handlerActor()): boolean => {
      if (at > now) return false;
      p.events.push({ at, streamType: 'opinion', stream: i, action, actorId, data });
      p.updatedAt = Math.max(p.updatedAt, at);
      return true;
    };
    /** A text on the timeline (only ever called for steps that have happened). */
    const entry = (kind: Entry['kind'], body: string, at: number, authorId: Actor, authorBodyId: number | null) => {
      entries.push({ key: entryKey, owner: i, kind, body, authorId, authorBodyId, at });
      return ref('entry', entryKey++);
    };
    /** A step with a text: the entry and the event, if it has happened by now. */
    const textStep = (at: number, action: string, kind: Entry['kind'], body: string, actor: Actor, bodyId: number | null, data: Record<string, unknown> = {}): boolean =>
      at <= now && ev(at, action, { ...data, entryId: entry(kind, body, at, actor, bodyId) }, actor);
    /** A working-hours moment `n` working days after `from` (never before it). */
    const later = (from: number, n: number): number => {
      const day = addWorkingDays(new Date(from), n);
      const at = onDay(day, 9 + rng.int(0, 8), rng.int(0, 59));
      return at > from ? at : from + rng.int(20, 240) * MINUTE;
    };

    p.suggestedBodyId = p.targetType === 'route' ? (rng.chance(0.78) ? labelId : rng.pick(s.specialCommitteeIds)) : null;
    ev(t0, 'submitted', { handlerBodyId: p.handlerBodyId, handlerUserId: p.handlerUserId, target: p.targetType, suggestedBodyId: p.suggestedBodyId, acceptDue, replyDue, attachments: 0 }, citizen);
    if (rng.chance(0.015)) {
      // Withdrawn before anyone acted.
      const at = t0 + rng.int(2, 30) * 60 * MINUTE;
      if (ev(at, 'withdrawn', {}, citizen)) { p.status = 'withdrawn'; p.withdrawnAt = at; p.closedAt = at; }
      plans.push(p);
      continue;
    }
    // Staff route an unaddressed opinion, then it is accepted, declined or merged.
    // A few are left waiting: late by days, some by weeks (the overdue board's rows).
    const lateness = rng.chance(0.05) ? rng.int(3, 7) : rng.chance(0.05) ? rng.int(8, 30) : rng.int(0, 2);
    let decisionAt = later(t0, lateness);
    if (p.targetType === 'route') {
      const routeAt = later(t0, Math.max(0, lateness - 1));
      if (ev(routeAt, 'routed', { fromBodyId: s.committeeId, fromUserId: null, toBodyId: labelId, toUserId: null, entryId: null, suggestedBodyId: p.suggestedBodyId }, o.staffId)) {
        p.handlerBodyId = labelId;
        p.routed = true;
      }
      if (decisionAt <= routeAt) decisionAt = routeAt + rng.int(10, 180) * MINUTE;
    }
    clock(p, 'accept', acceptDue, decisionAt, now, s, rng);
    const r = rng.next();
    if (r < 0.04) {
      if (textStep(decisionAt, 'declined', 'decline_reason', rng.pick(DECLINES), handlerActor(), p.handlerBodyId)) {
        p.status = 'declined'; p.declinedAt = decisionAt; p.closedAt = decisionAt;
      }
      plans.push(p);
      continue;
    }
    const earlier = (byTopic.get(d.topicKey) ?? []).filter((q) => q.created > t0 - 15 * DAY && q.mergedInto === null && q.acceptedAt !== null
      && q.acceptedAt < decisionAt && (q.closedAt === null || q.closedAt > decisionAt) && q.status !== 'declined' && q.status !== 'withdrawn');
    if (r < 0.08 && earlier.length && decisionAt <= now) {
      const into = earlier[earlier.length - 1]!;
      ev(decisionAt, 'merged', { intoId: ref('op', into.i) });
      p.status = 'merged'; p.mergedInto = into.i; p.closedAt = decisionAt;
      into.events.push({ at: decisionAt, streamType: 'opinion', stream: into.i, action: 'absorbed', actorId: handlerActor(), data: { opinionId: ref('op', i) } });
      plans.push(p);
      continue;
    }
    if (!ev(decisionAt, 'accepted', { replyDue })) {
      plans.push(p);
      continue;
    }
    p.status = 'accepted';
    p.acceptedAt = decisionAt;
    let cursor = decisionAt;
    if (rng.chance(0.1)) {
      const qAt = later(cursor, 1);
      if (textStep(qAt, 'question', 'question', rng.pick(QUESTIONS), handlerActor(), p.handlerBodyId)) {
        const aAt = qAt + rng.int(1, 30) * 60 * MINUTE;
        if (textStep(aAt, 'citizen_added', 'addition', rng.pick(ANSWERS), citizen, null)) cursor = aAt;
      }
    }
    // Replied by the handler, or by the department the opinion was forwarded to.
    const deptIdx = CATEGORY_DEPARTMENT[d.category] ?? 0;
    const dept = s.departmentIds[deptIdx]!;
    const deptUser = deptUsers[deptIdx]!;
    const replyText = () => rng.pick(REPLIES).replace('{t}', topicName.get(d.topicKey) ?? d.title).replace('{d}', DEPARTMENTS[deptIdx]![0]).replace('{a}', rng.pick(ACTIONS));
    let replyAt = later(cursor, rng.chance(0.06) ? rng.int(16, 22) : rng.chance(0.06) ? rng.int(23, 45) : rng.int(2, 13));
    let replied = false;
    const fAt = later(cursor, rng.int(0, 2));
    if (rng.chance(0.3) && fAt < replyAt && fAt <= now) {
      const dueOn = replyDue < chinaDate(new Date(fAt)) ? addWorkingDays(new Date(fAt), 5) : replyDue;
      const item: Item = { key: items.length, plan: p, dept, user: deptUser, dueOn, createdAt: fAt, status: 'open', answer: null, answeredAt: null, doneAt: null, answeredBy: null, remindedAt: null, escalatedAt: null, updates: [] };
      items.push(item);
      const itemRef = ref('item', item.key);
      ev(fAt, 'forwarded', { actionItemId: itemRef, departmentId: dept, dueOn });
      p.events.push({ at: fAt, streamType: 'action_item', stream: item.key, action: 'created', actorId: handlerActor(), data: { sourceType: 'opinion', sourceId: ref('op', i), ownerBodyId: dept, dueOn } });
      /** A department's update, as updateActionItem records it, if it has happened by now. */
      const update = (at: number, kind: 'progress' | 'answer' | 'done', body: string, done: boolean): boolean => {
        if (at > now) return false;
        item.updates.push({ kind, body, at });
        p.events.push({ at, streamType: 'action_item', stream: item.key, action: kind, actorId: deptUser, data: { done } });
        textStep(at, kind === 'progress' ? 'action_progress' : kind === 'answer' ? 'action_answered' : 'action_done', kind === 'answer' ? 'reply' : 'note', body, deptUser, dept,
          { actionItemId: itemRef, departmentId: dept });
        return true;
      };
      let dAt = fAt;
      if (rng.chance(0.5)) {
        dAt = later(fAt, rng.int(1, 4));
        update(dAt, 'progress', rng.pick(PROGRESS), false);
      }
      const answerAt = later(dAt, rng.chance(0.08) ? rng.int(10, 30) : rng.int(2, 9));
      const text = replyText();
      const doneAtOnce = rng.chance(0.7);
      clockItem(item, answerAt, now, s, rng, p);
      replyAt = answerAt;
      if (update(answerAt, 'answer', text, doneAtOnce)) {
        item.status = doneAtOnce ? 'done' : 'answered';
        item.answer = text; item.answeredAt = answerAt; item.answeredBy = deptUser;
        replied = true;
        p.replyText = text;
        if (doneAtOnce) {
          item.doneAt = answerAt;
          ev(answerAt, 'action_done', { actionItemId: itemRef, departmentId: dept, entryId: null }, deptUser);
        } else {
          const doneAt = later(answerAt, rng.int(3, 15));
          if (update(doneAt, 'done', '整改已全部完成。', true)) { item.status = 'done'; item.doneAt = doneAt; }
        }
      }
    } else {
      const text = replyText();
      if (textStep(replyAt, 'replied', 'reply', text, handlerActor(), p.handlerBodyId)) { replied = true; p.replyText = text; }
    }
    clock(p, 'reply', replyDue, replyAt, now, s, rng);
    if (!replied) {
      track(byTopic, p);
      plans.push(p);
      continue;
    }
    p.status = 'replied';
    p.firstRepliedAt = replyAt;
    p.repliedAt = replyAt;
    // Two rounds at most: a "not satisfied" reopens once.
    for (let round = 1; round <= 2; round++) {
      if (!rng.chance(0.85)) {
        // Not rated: the sweep closes it the day after the ten-working-day window.
        const autoAt = onDay(addWorkingDays(new Date(p.repliedAt!), 10), 0, 10 + rng.int(0, 9)) + DAY;
        if (ev(autoAt, 'closed', { auto: true }, null)) { p.status = 'closed'; p.closedAt = autoAt; }
        break;
      }
      const rateAt = p.repliedAt! + rng.int(2, 190) * 60 * MINUTE;
      const roll = rng.next();
      const handling = roll < 0.62 ? 3 : roll < 0.88 ? 2 : 1;
      const result = handling === 1 ? rng.pick([1, 2]) : rng.chance(0.08) ? 1 : handling;
      if (!ev(rateAt, 'rated', { round, handling, result }, citizen)) break;
      p.rating = { handling, result };
      const reopen = (handling === 1 || result === 1) && round === 1;
      ev(rateAt, reopen ? 'reopened' : 'closed', {}, citizen);
      if (!reopen) { p.status = 'closed'; p.closedAt = rateAt; break; }
      p.status = 'accepted';
      p.reopenCount = 1;
      p.replyDue = addWorkingDays(new Date(rateAt), 15);
      p.replyRemindedAt = null;
      p.escalatedAt = null;
      const again = later(rateAt, rng.int(3, 10));
      clock(p, 'reply', p.replyDue, again, now, s, rng);
      const text = `经再次协调，${rng.pick(ACTIONS)}。`;
      if (!textStep(again, 'replied', 'reply', text, handlerActor(), p.handlerBodyId)) break;
      p.status = 'replied';
      p.repliedAt = again;
      p.replyText = text;
    }
    track(byTopic, p);
    plans.push(p);
  }
  // Public: allowed by the sender and accepted; a few were taken out of the list by staff.
  for (const p of plans) {
    p.publicVisible = p.publicConsent && p.acceptedAt !== null && ['accepted', 'replied', 'closed'].includes(p.status);
    if (p.publicVisible && rng.chance(0.03) && p.acceptedAt !== null) {
      const at = p.acceptedAt + 60 * MINUTE;
      if (at <= now) {
        p.publicVisible = false;
        p.events.push({ at, streamType: 'opinion', stream: p.i, action: 'hidden', actorId: o.staffId, data: {} });
      }
    }
  }

  // 2. Rows.
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const opIds = await insertMany(db, 'opinions', plans.map((p) => ({
    tracking_code: p.code, kind: p.d.title.includes('建议') ? 'suggestion' : p.i % 7 === 0 ? 'request' : 'opinion', title: p.d.title.slice(0, 60), body: p.d.text.slice(0, 3000),
    category_key: p.d.category, region_id: p.regionId, target_type: p.targetType, target_body_id: p.targetBodyId, target_user_id: p.targetUserId,
    handler_body_id: p.handlerBodyId, handler_user_id: p.handlerUserId, suggested_body_id: p.suggestedBodyId,
    suggestion_reason: null, routing_confirmed: p.targetType !== 'route' || p.routed ? 1 : 0,
    citizen_id: citizenIds[p.citizenIdx], phone_last4: citizenPhone(p.citizenIdx).slice(-4), public_consent: p.publicConsent ? 1 : 0,
    public_visible: p.publicVisible ? 1 : 0, status: p.status, accept_due: p.acceptDue, reply_due: p.replyDue,
    accepted_at: iso(p.acceptedAt), declined_at: iso(p.declinedAt), first_replied_at: iso(p.firstRepliedAt), replied_at: iso(p.repliedAt),
    closed_at: iso(p.closedAt), withdrawn_at: iso(p.withdrawnAt), reopen_count: p.reopenCount, merged_into_id: null, reply_text: p.replyText,
    rating_handling: p.rating?.handling ?? null, rating_result: p.rating?.result ?? null,
    accept_reminded_at: iso(p.acceptRemindedAt), reply_reminded_at: iso(p.replyRemindedAt), escalated_at: iso(p.escalatedAt),
    content_hash: contentHash({
      kind: 'opinion', title: p.d.title, body: p.d.text, category: p.d.category, regionId: p.regionId, target: p.targetType,
      targetBodyId: p.targetBodyId, targetMemberId: p.targetUserId, public: p.publicConsent,
    }),
    created_at: iso(p.created), updated_at: iso(p.updatedAt),
  })));
  for (const p of plans) {
    if (p.mergedInto !== null) await db.updateTable('opinions').set({ merged_into_id: opIds[p.mergedInto]! }).where('id', '=', opIds[p.i]!).execute();
  }
  const actor = (a: Actor): number | null => (a !== null && typeof a === 'object' ? citizenIds[a.key]! : a);
  const entryIds = await insertMany(db, 'opinion_entries', entries.map((e) => ({
    opinion_id: opIds[e.owner], kind: e.kind, author_id: actor(e.authorId), author_body_id: e.authorBodyId, body: e.body, created_at: iso(e.at),
  })));
  const itemIds = await insertMany(db, 'action_items', items.map((it) => ({
    source_type: 'opinion', source_id: opIds[it.plan.i], title: it.plan.d.title.slice(0, 60), instructions: INSTRUCTIONS[it.key % INSTRUCTIONS.length],
    owner_body_id: it.dept, assigned_by: it.plan.handlerUserId ?? o.staffId, assigned_by_body_id: it.plan.handlerBodyId, due_on: it.dueOn,
    status: it.status, answer: it.answer, answered_at: iso(it.answeredAt), answered_by: it.answeredBy, done_at: iso(it.doneAt),
    reminded_at: iso(it.remindedAt), escalated_at: iso(it.escalatedAt), created_at: iso(it.createdAt),
    updated_at: iso(Math.max(it.createdAt, ...it.updates.map((u) => u.at))),
  })));
  await insertAll(db, 'action_item_updates', items.flatMap((it, k) => it.updates.map((u) => ({
    action_item_id: itemIds[k], kind: u.kind, body: u.body, author_id: it.user, created_at: iso(u.at),
  }))));
  const ratingRows: Record<string, unknown>[] = [];
  for (const p of plans) {
    for (const e of p.events) {
      if (e.action === 'rated') ratingRows.push({ opinion_id: opIds[p.i], round: e.data.round, handling: e.data.handling, result: e.data.result, comment: null, created_at: iso(e.at) });
    }
  }
  await insertAll(db, 'opinion_ratings', ratingRows);
  // The public list's search index.
  await insertAll(db, 'search_docs', plans.filter((p) => p.publicVisible).map((p) => ({
    doc_type: 'opinion', doc_id: opIds[p.i], title: p.d.title.slice(0, 60), excerpt: excerptOf(p.d.text), url: `/opinions/${opIds[p.i]}`,
    published_at: iso(p.acceptedAt), tokens: documentTokens(p.d.title.slice(0, 60), p.d.text.slice(0, 3000)),
  })));

  // 3. The timeline, hash-chained in time order.
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v && typeof v === 'object') {
      const r = v as { $ref?: string; key?: number };
      if (r.$ref === 'entry') return entryIds[r.key!]!;
      if (r.$ref === 'item') return itemIds[r.key!]!;
      if (r.$ref === 'op') return opIds[r.key!]!;
      if (r.$ref === 'citizen') return citizenIds[r.key!]!;
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
    }
    return v;
  };
  const events = plans.flatMap((p) => p.events).sort((a, b) => a.at - b.at);
  // The history is imported now: one event says so, then the history follows in the chain.
  await appendChain(db, { streamType: 'demo', streamId: 'opinions', action: 'imported', actorId: null, data: { opinions: plans.length, events: events.length } }, events.map((e) => ({
    streamType: e.streamType, streamId: e.streamType === 'opinion' ? opIds[e.stream]! : itemIds[e.stream]!,
    action: e.action, actorId: actor(e.actorId), data: resolve(e.data) as Record<string, unknown>, createdAt: iso(e.at)!,
  })));

  // 4. The routing suggester learns from the opinions staff routed; unrouted ones get its suggestion.
  const router = new OpinionRouter();
  let examples = 0;
  for (const p of plans) {
    if (p.targetType !== 'route' || !p.routed) continue;
    router.learn({ title: p.d.title, text: p.d.text, category: p.d.category }, String(p.handlerBodyId));
    examples++;
  }
  if (examples > 0) {
    await saveRouter(db, router);
    for (const p of plans) {
      if (p.targetType !== 'route' || p.routed || p.status !== 'received') continue;
      const sug = router.suggest({ title: p.d.title, text: p.d.text, category: p.d.category });
      if (sug && confidentEnough(sug)) {
        await db.updateTable('opinions').set({ suggested_body_id: Number(sug.label), suggestion_reason: sug.reason }).where('id', '=', opIds[p.i]!).execute();
      }
    }
  }
  // The simulated lives stop short of today's clock edges (a reminder due today, a deadline
  // passed over a weekend): one sweep at seeding time records them the way the job would.
  await sweepSla(db, o.now);
  const byStatus: Record<string, number> = {};
  for (const p of plans) byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
  return { opinions: plans.length, byStatus, events: events.length, routerExamples: examples, publicOpinions: plans.filter((p) => p.publicVisible).length };
}

/** Demo citizens' phone numbers: 176 + eight digits (no demo member has a 176 number). */
export const citizenPhone = (i: number): string => `176${String(10_000_000 + i).slice(-8)}`;

function track(byTopic: Map<string, Plan[]>, p: Plan): void {
  const list = byTopic.get(p.d.topicKey) ?? [];
  list.push(p);
  if (list.length > 30) list.shift();
  byTopic.set(p.d.topicKey, list);
}

/**
 * The reminder and escalation an SLA sweep would have made for a clock due on `due` that
 * was met at `doneAt` (Infinity: not yet): the reminder on the last working day before the
 * deadline, the escalation on the first working day after it.
 */
function clock(p: Plan, kind: 'accept' | 'reply', due: string, doneAt: number, now: number, s: Structure, rng: Rng): void {
  const remindAt = Math.max(onDay(lastWorkingDayBefore(due), 0, 10 + rng.int(0, 9)), p.created + 10 * MINUTE);
  if (doneAt > remindAt && remindAt <= now && (kind === 'accept' ? p.acceptRemindedAt : p.replyRemindedAt) === null) {
    if (kind === 'accept') p.acceptRemindedAt = remindAt; else p.replyRemindedAt = remindAt;
    p.events.push({ at: remindAt, streamType: 'opinion', stream: p.i, action: 'reminded', actorId: null, data: { deadline: kind, dueOn: due } });
  }
  const escalateDay = nextWorkingDay(due);
  const escalateAt = onDay(escalateDay, 0, 10 + rng.int(0, 9));
  if (doneAt > escalateAt && escalateAt <= now) {
    p.escalatedAt = escalateAt;
    // The demo's staff sit in the committee: every escalation reaches them (as the sweep's walk up the bodies would).
    const toBodyId = s.committeeId;
    p.events.push({ at: escalateAt, streamType: 'opinion', stream: p.i, action: 'escalated', actorId: null, data: { deadline: kind, dueOn: due, daysLate: workingDaysBetween(due, escalateDay), toBodyId } });
  }
}

/** The same for a department's action item (answered at `answerAt`). */
function clockItem(item: Item, answerAt: number, now: number, s: Structure, rng: Rng, p: Plan): void {
  const remindAt = Math.max(onDay(lastWorkingDayBefore(item.dueOn), 0, 10 + rng.int(0, 9)), item.createdAt + 10 * MINUTE);
  if (answerAt > remindAt && remindAt <= now) {
    item.remindedAt = remindAt;
    p.events.push({ at: remindAt, streamType: 'action_item', stream: item.key, action: 'reminded', actorId: null, data: { dueOn: item.dueOn } });
    p.events.push({ at: remindAt, streamType: 'opinion', stream: p.i, action: 'reminded', actorId: null, data: { deadline: 'action', actionItemId: ref('item', item.key), departmentId: item.dept, dueOn: item.dueOn } });
  }
  const escalateDay = nextWorkingDay(item.dueOn);
  const escalateAt = onDay(escalateDay, 0, 10 + rng.int(0, 9));
  if (answerAt > escalateAt && escalateAt <= now) {
    item.escalatedAt = escalateAt;
    const data = { deadline: 'action', actionItemId: ref('item', item.key), departmentId: item.dept, dueOn: item.dueOn, daysLate: workingDaysBetween(item.dueOn, escalateDay), toBodyId: s.committeeId };
    p.events.push({ at: escalateAt, streamType: 'action_item', stream: item.key, action: 'escalated', actorId: null, data });
    p.events.push({ at: escalateAt, streamType: 'opinion', stream: p.i, action: 'escalated', actorId: null, data });
  }
}

interface ChainEvent { streamType: string; streamId: number; action: string; actorId: number | null; data: Record<string, unknown>; createdAt: string }

/**
 * Appends many events to the audit chain at once (in the caller's transaction): `marker`
 * through `appendEvent` (now; it takes the chain's lock on PostgreSQL), then the history
 * hashed here and inserted in chunks, and the anchor moved to the new head.
 */
async function appendChain(db: Executor, marker: NewEvent, events: ChainEvent[]): Promise<void> {
  const head = await appendEvent(db, marker);
  let prev = { id: head.id, hash: head.hash };
  const rows: Record<string, unknown>[] = [];
  for (const e of events) {
    const row = { id: prev.id + 1, stream_type: e.streamType, stream_id: String(e.streamId), action: e.action, actor_id: e.actorId, data: canonicalJson(e.data), created_at: e.createdAt };
    const hash = eventHash(prev.hash, row);
    rows.push({ ...row, prev_hash: prev.hash, hash });
    prev = { id: row.id, hash };
  }
  await insertAll(db, 'audit_events', rows, 500);
  await db.updateTable('settings').set({ value: JSON.stringify(prev) }).where('key', '=', AUDIT_ANCHOR_KEY).execute();
}
