import type { Executor } from '../../db/database.js';
import { addWorkingDays, chinaDate } from '../../platform/calendar/index.js';
import { maskPhone } from '../../platform/validation.js';
import { DEMO_TOPICS, generateOpinions } from '../opinions/analysis/demo-corpus.js';
import { dueDates } from '../opinions/clocks.js';
import { insertAll, insertMany } from './batch.js';
import { DEPARTMENTS } from './data/bodies.js';
import { TOWNSHIPS } from './data/places.js';
import {
  ACTIONS, ANSWERS, CATEGORY_DEFAULT, CATEGORY_DEPARTMENT, DECLINES, LABEL_BODIES, PROGRESS, QUESTIONS, REPLIES, citizenPhone,
} from './opinions-data.js';
import { type Actor, DAY, type Entry, type Item, MINUTE, type Plan, clock, clockItem, onDay, ref, track, trackingCode } from './opinions-life.js';
import { type OpinionSeedSummary, storeOpinions } from './opinions-store.js';
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
// Here step 1, the lives in memory; opinions-store.ts writes them (steps 2–4), with the
// material in opinions-data.ts and the life's types and clocks in opinions-life.ts.

export const DEMO_OPINIONS = 2000;
const DEMO_OPINION_SEED = 20_260_303;
const SPAN_DAYS = 730;
const CITIZENS = 700;

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

  // 2–4. The rows, the timeline and the routing suggester.
  return storeOpinions(db, o, plans, entries, items, citizenIds);
}
