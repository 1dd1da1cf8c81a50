import type { Executor } from '../../db/database.js';
import { documentTokens, excerptOf } from '../../platform/search/index.js';
import { AUDIT_ANCHOR_KEY, type NewEvent, appendEvent } from '../../platform/timeline/audit.js';
import { canonicalJson, eventHash } from '../../platform/timeline/canonical.js';
import { OpinionRouter } from '../opinions/analysis/router.js';
import { confidentEnough, saveRouter } from '../opinions/router-store.js';
import { sweepSla } from '../opinions/sla.js';
import { contentHash } from '../opinions/submit.js';
import { insertAll, insertMany } from './batch.js';
import { INSTRUCTIONS, citizenPhone } from './opinions-data.js';
import type { Actor, Entry, Item, Plan } from './opinions-life.js';

// The simulated lives stored: the rows in bulk, the timeline hash-chained in time order,
// the routing suggester trained on the routed ones.

export interface OpinionSeedSummary { opinions: number; byStatus: Record<string, number>; events: number; routerExamples: number; publicOpinions: number }

/** Steps 2–4 of seeding the demo opinions (see opinions.ts), in the caller's transaction. */
export async function storeOpinions(
  db: Executor, o: { staffId: number; now: Date }, plans: Plan[], entries: Entry[], items: Item[], citizenIds: number[],
): Promise<OpinionSeedSummary> {
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
