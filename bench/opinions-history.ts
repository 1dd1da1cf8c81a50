import { createHash } from 'node:crypto';
import { Rng } from '../src/modules/demo/prng.js';
import { DEMO_TOPICS, type DemoOpinion, type RouteLabel, generateOpinions } from '../src/modules/opinions/analysis/demo-corpus.js';
import { CODE_ALPHABET, CODE_LENGTH } from '../src/modules/opinions/model.js';
import { addWorkingDays, chinaDate } from '../src/platform/calendar/index.js';
import { documentTokens, excerptOf } from '../src/platform/search/index.js';
import { tokenize } from '../src/platform/search/tokenize.js';
import { canonicalJson, eventHash } from '../src/platform/timeline/canonical.js';

// Two years of the voice channel, as rows: the pure part of the benchmark's seed (no
// database here, so it runs in a worker thread while the main thread writes).
//
// Every opinion gets a life: received; routed when the citizen let the committee route it;
// accepted, declined (with a reason) or merged into an earlier one on the same topic;
// sometimes a question and the citizen's answer; sometimes forwarded to a department
// (an action item) whose answer is the reply; replied; rated by the citizen — a "not
// satisfied" reopens it once — or closed by staff when the citizen does not rate; a few
// are withdrawn, a few hidden from the public list, a few straggle past their deadlines.
// Only what has happened by `now` is kept, so recent weeks hold the open and overdue ones.
// Events of all opinions go through a heap and come out in time order, and are chained
// with the platform's own hash, so the audit log reads like one written live.

export const DAY = 86_400_000;
export const SPAN_DAYS = 730;

/** What the generator needs to know of the county (ids from the database). */
export interface SeedRefs {
  countyId: number;
  townshipIds: number[];
  /** "township" or "township + village" (the corpus's region names) → region id. */
  regionByName: [string, number][];
  /** region id → its township's id. */
  townOfRegion: [number, number][];
  office: number;
  committees: number[];
  /** route label (not 'township') → special committee. */
  labelBody: Record<string, number>;
  /** township id → liaison group. */
  liaisonOf: [number, number][];
  studios: { id: number; regionId: number | null }[];
  councils: { id: number; regionId: number | null }[];
  /** category → department a forwarded opinion goes to. */
  departmentOf: Record<string, number>;
  bodyName: [number, string][];
  /** member → body of their seat. */
  seatOf: [number, number][];
  clocks: Record<string, { accept_days: number; reply_days: number }>;
  /** body → the account that acts for it. */
  actorOf: [number, number][];
}

export interface SeedPlan {
  refs: SeedRefs;
  count: number;
  citizens: number;
  /** Citizens have ids firstCitizen … firstCitizen + citizens − 1 and phones citizenPhone(0…). */
  firstCitizen: number;
  /** Last ids in use: new rows continue after them. */
  lastOpinionId: number;
  lastEntryId: number;
  lastActionId: number;
  /** The audit chain's head. */
  prev: { id: number; hash: string };
  now: number;
  seed: number;
  chunk: number;
  /** Tracking codes already taken (the demo's opinions). */
  usedCodes: string[];
}

export interface Chunk {
  opinions: unknown[][];
  entries: unknown[][];
  ratings: unknown[][];
  actions: unknown[][];
  actionUpdates: unknown[][];
  search: unknown[][];
  audit: unknown[][];
  /** After this chunk: generated so far, and the chain's head. */
  done: number;
  prev: { id: number; hash: string };
}

export interface SeedStats {
  publicOpinions: number;
  lastThirtyDays: number;
  events: number;
  byStatus: Record<string, number>;
}

// Column orders of the rows above (the writer inserts them as they are).
export const OPINION_COLUMNS = [
  'id', 'tracking_code', 'kind', 'title', 'body', 'category_key', 'region_id', 'target_type', 'target_body_id', 'target_user_id',
  'handler_body_id', 'handler_user_id', 'suggested_body_id', 'suggestion_reason', 'routing_confirmed', 'citizen_id', 'phone_last4',
  'public_consent', 'public_visible', 'status', 'accept_due', 'reply_due', 'accepted_at', 'declined_at', 'first_replied_at', 'replied_at',
  'closed_at', 'withdrawn_at', 'reopen_count', 'merged_into_id', 'reply_text', 'rating_handling', 'rating_result', 'content_hash',
  'created_at', 'updated_at',
] as const;
export const ENTRY_COLUMNS = ['id', 'opinion_id', 'kind', 'author_id', 'author_body_id', 'body', 'created_at'] as const;
export const RATING_COLUMNS = ['opinion_id', 'round', 'handling', 'result', 'comment', 'created_at'] as const;
export const ACTION_COLUMNS = ['id', 'source_type', 'source_id', 'title', 'instructions', 'owner_body_id', 'assigned_by', 'assigned_by_body_id',
  'due_on', 'status', 'answer', 'answered_at', 'answered_by', 'done_at', 'created_at', 'updated_at'] as const;
export const ACTION_UPDATE_COLUMNS = ['action_item_id', 'kind', 'body', 'author_id', 'created_at'] as const;
export const SEARCH_COLUMNS = ['doc_type', 'doc_id', 'title', 'excerpt', 'url', 'published_at', 'tokens'] as const;
export const AUDIT_COLUMNS = ['id', 'stream_type', 'stream_id', 'action', 'actor_id', 'data', 'created_at', 'prev_hash', 'hash'] as const;

/** Citizens' phone numbers: 139 + eight digits. */
export const citizenPhone = (i: number): string => `139${String(i).padStart(8, '0')}`;

const REPLIES: ((v: { topic: string; place: string; dept: string; title: string; n: string }) => string)[] = [
  (v) => `您好！您反映的${v.place}${v.topic}问题已收悉。经与${v.dept}联系核实，相关部门已到现场查看并制定了整改方案，预计${v.n}个月内完成。感谢您对政协工作的关心和支持。`,
  (v) => `您好，关于您反映的“${v.title}”，我们已转${v.dept}办理。${v.dept}答复：该问题已列入今年的重点工作计划，将分步推进，后续进展会在本页更新。`,
  (v) => `经调查，您反映的${v.place}情况属实。我们已督促${v.dept}限期整改，目前已完成初步处理。如仍有问题，欢迎继续反映。`,
  (v) => `感谢您的建议。您提出的关于${v.topic}的建议很有价值，我们已整理为社情民意信息报送县委县政府参考，并将持续关注。`,
  (v) => `您好！经与${v.dept}沟通，您反映的问题涉及${v.topic}，需要统筹资金和规划，暂时无法立即解决。${v.dept}表示将在明年的计划中优先考虑，我们会继续跟踪督办。`,
  (v) => `您反映的问题我们已会同${v.dept}和${v.place}进行了协调，已于上周落实解决。请您留意，如还有类似情况可随时反映。`,
];
const DEPARTMENT_ANSWERS: ((v: { topic: string; place: string; title: string; n: string }) => string)[] = [
  (v) => `经我局核查，${v.place}${v.topic}问题属实，已安排专人负责，整改工作将于${v.n}个月内完成，届时将组织验收。`,
  (v) => `关于“${v.title}”，我局已联合属地乡镇现场办公，制定了解决方案，目前已完成主体工作。`,
  (v) => `我局高度重视，已将${v.topic}纳入年度民生实事项目，资金已落实，近期开工。`,
];
const DECLINE_REASONS = [
  '您反映的事项已进入司法程序，不属于政协受理范围，请依法通过诉讼途径解决。',
  '该事项不属于政协受理范围，建议向12345政务服务便民热线反映，会有专人为您办理。',
  '您反映的内容不够具体，无法核实，欢迎补充具体地点和情况后重新提交。',
  '该问题涉及个人纠纷，请通过所在社区人民调解委员会调解。',
];
const QUESTIONS = [
  '请问您说的位置具体在哪里？方便的话请补充门牌号或附近的标志性建筑。',
  '请问这个情况大概从什么时候开始的？是否已向社区或乡镇反映过？',
  '为便于核实，请补充一下具体时间段和涉及的人数。',
];
const ADDITIONS = [
  '具体位置在小区东门旁边，晚上最严重。之前向社区反映过，说会上报。',
  '大概从去年秋天开始的，涉及我们组三十多户人家。',
  '补充一下：每天早上七点到九点最明显，周末也一样。',
];
const COMMENTS = ['处理及时，谢谢！', '问题解决了，感谢委员。', '答复很详细，但希望尽快落实。', '还没有彻底解决。', null, null, null];

interface Ev { t: number; seq: number; st: string; sid: number; action: string; actor: number | null; data: Record<string, unknown> }

const less = (x: Ev, y: Ev): boolean => x.t < y.t || (x.t === y.t && x.seq < y.seq);

/** Pending events by time (then by the order they were made, so a stream keeps its order). */
class EventHeap {
  private a: Ev[] = [];
  private seq = 0;
  get size(): number { return this.a.length; }
  push(t: number, st: string, sid: number, action: string, actor: number | null, data: Record<string, unknown>): void {
    const a = this.a;
    a.push({ t, seq: this.seq++, st, sid, action, actor, data });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  peek(): Ev | undefined { return this.a[0]; }
  pop(): Ev {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1; const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l]!, a[m]!)) m = l;
        if (r < a.length && less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

/**
 * The search index's tokens of an opinion, as `documentTokens` makes them, from tokens
 * cached per clause: the tokenizer never reads across punctuation (CJK runs and the word
 * segmenter both stop there), so the union of the clauses' tokens is the text's token set.
 * The corpus is built from a few thousand distinct clauses, so this turns minutes of
 * tokenizing into seconds. Every thousandth document is compared with `documentTokens`,
 * and the seed stops if they ever differ.
 */
class ClauseTokens {
  private cache = new Map<string, string[]>();
  private n = 0;
  private tok(s: string): string[] {
    let v = this.cache.get(s);
    if (!v) {
      v = tokenize(s);
      if (this.cache.size > 200_000) this.cache.clear();
      this.cache.set(s, v);
    }
    return v;
  }
  of(title: string, text: string): string {
    const tt = this.tok(title);
    const all = new Set(tt);
    for (const c of text.split(CLAUSE)) for (const x of this.tok(c)) all.add(x);
    const out = `${[...tt, ...tt].join(' ')}\n${[...all].join(' ')}`;
    if (this.n++ % 1000 === 0) {
      const want = documentTokens(title, text).split(/\s+/).sort().join(' ');
      if (out.split(/\s+/).sort().join(' ') !== want) throw new Error(`bench tokens differ from documentTokens for: ${title}`);
    }
    return out;
  }
}
const CLAUSE = /(?<=[。！？，；：、!?,;:])/u;

/**
 * The chain's hash of a row, as `eventHash` computes it, without its generic key sorting:
 * the row's keys are written in sorted order, and each action's data keys are sorted once.
 * Every thousandth event is compared with `canonicalJson` / `eventHash`.
 */
class ChainHasher {
  private keys = new Map<string, string[]>();
  private n = 0;
  data(action: string, d: Record<string, unknown>): string {
    let ks = this.keys.get(action);
    if (!ks || ks.length !== Object.keys(d).length) this.keys.set(action, (ks = Object.keys(d).sort()));
    let s = '{';
    for (let i = 0; i < ks.length; i++) s += `${i ? ',' : ''}${JSON.stringify(ks[i])}:${JSON.stringify(d[ks[i]!])}`;
    return `${s}}`;
  }
  hash(prevHash: string, r: { id: number; stream_type: string; stream_id: string; action: string; actor_id: number | null; data: string; created_at: string }, raw: Record<string, unknown>): string {
    const fields = JSON.stringify({ action: r.action, actor_id: r.actor_id, created_at: r.created_at, data: r.data, id: r.id, stream_id: r.stream_id, stream_type: r.stream_type });
    const h = createHash('sha256').update(prevHash + fields).digest('hex');
    if (this.n++ % 1000 === 0 && (canonicalJson(raw) !== r.data || eventHash(prevHash, r) !== h)) {
      throw new Error(`bench audit hash differs from eventHash for ${r.action} ${r.stream_id}`);
    }
    return h;
  }
}

/** Satisfied mostly, basically satisfied often, not satisfied sometimes. */
function rating(rng: Rng): number {
  const r = rng.next();
  return r < 0.66 ? 3 : r < 0.93 ? 2 : 1;
}

const iso = (t: number): string => new Date(t).toISOString();

/** The opinions of a SeedPlan, a chunk at a time, oldest first. */
export class OpinionHistory {
  readonly stats: SeedStats = { publicOpinions: 0, lastThirtyDays: 0, events: 0, byStatus: {} };
  private readonly rng: Rng;
  private readonly gen: Generator<DemoOpinion>;
  private readonly start: number;
  private readonly heap = new EventHeap();
  private readonly tokens = new ClauseTokens();
  private readonly hasher = new ChainHasher();
  private readonly codes: Set<string>;
  private readonly dueCache = new Map<string, string>();
  private readonly openByTopic = new Map<string, number>();
  private readonly topicName = new Map(DEMO_TOPICS.map((t) => [t.key, t.name]));
  private readonly regionByName: Map<string, number>;
  private readonly townOfRegion: Map<number, number>;
  private readonly liaisonOf: Map<number, number>;
  private readonly bodyName: Map<number, string>;
  private readonly seatOf: Map<number, number>;
  private readonly members: number[];
  private readonly actorOf: Map<number, number>;
  private opinionId: number;
  private entryId: number;
  private actionId: number;
  private prev: { id: number; hash: string };
  private done = 0;

  constructor(private readonly plan: SeedPlan) {
    const r = plan.refs;
    this.rng = new Rng(plan.seed);
    this.codes = new Set(plan.usedCodes);
    this.gen = generateOpinions(plan.count, plan.seed);
    this.start = plan.now - SPAN_DAYS * DAY;
    this.regionByName = new Map(r.regionByName);
    this.townOfRegion = new Map(r.townOfRegion);
    this.liaisonOf = new Map(r.liaisonOf);
    this.bodyName = new Map(r.bodyName);
    this.seatOf = new Map(r.seatOf);
    this.members = [...this.seatOf.keys()];
    this.actorOf = new Map(r.actorOf);
    this.opinionId = plan.lastOpinionId;
    this.entryId = plan.lastEntryId;
    this.actionId = plan.lastActionId;
    this.prev = plan.prev;
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rng.next() * list.length)]!;
  }

  private newCode(): string {
    for (;;) {
      let s = '';
      for (let i = 0; i < CODE_LENGTH; i++) s += CODE_ALPHABET[Math.floor(this.rng.next() * CODE_ALPHABET.length)];
      if (!this.codes.has(s)) { this.codes.add(s); return s; }
    }
  }

  /** The due date `days` working days after the moment t (cached per day). */
  private due(t: number, days: number): string {
    const key = `${chinaDate(new Date(t))}|${days}`;
    let d = this.dueCache.get(key);
    if (!d) this.dueCache.set(key, (d = addWorkingDays(new Date(t), days)));
    return d;
  }

  private labelBody(label: RouteLabel, townId: number): number {
    if (label === 'township') return this.liaisonOf.get(townId) ?? this.plan.refs.office;
    return this.plan.refs.labelBody[label] ?? this.plan.refs.office;
  }

  /** The next chunk, or null when all opinions are out. */
  next(): Chunk | null {
    const { plan } = this;
    if (this.done >= plan.count) return null;
    const n = Math.min(plan.chunk, plan.count - this.done);
    const c: Chunk = { opinions: [], entries: [], ratings: [], actions: [], actionUpdates: [], search: [], audit: [], done: 0, prev: this.prev };
    for (let k = 0; k < n; k++) this.one(this.done + k, c);
    this.done += n;
    // Every event before the next chunk's first opinion is known now: chain them.
    const horizon = this.done < plan.count ? this.createdAt(this.done) : Infinity;
    while (this.heap.size && this.heap.peek()!.t < horizon) {
      const e = this.heap.pop();
      const row = { id: this.prev.id + 1, stream_type: e.st, stream_id: String(e.sid), action: e.action, actor_id: e.actor, data: this.hasher.data(e.action, e.data), created_at: iso(e.t) };
      const hash = this.hasher.hash(this.prev.hash, row, e.data);
      c.audit.push([row.id, row.stream_type, row.stream_id, row.action, row.actor_id, row.data, row.created_at, this.prev.hash, hash]);
      this.prev = { id: row.id, hash };
    }
    if (this.done >= plan.count && this.heap.size) throw new Error('events left after the last opinion');
    this.stats.events += c.audit.length;
    c.done = this.done;
    c.prev = this.prev;
    return c;
  }

  /** The i-th opinion's moment: evenly spread over two years, jittered within its slot. */
  private createdAt(i: number, jitter = 0): number {
    return Math.floor(this.start + ((i + jitter) * SPAN_DAYS * DAY) / this.plan.count);
  }

  private one(i: number, c: Chunk): void {
    const { rng, plan } = this;
    const refs = plan.refs;
    const now = plan.now;
    const g = this.gen.next().value as DemoOpinion;
    // As the form would have it: a title of 4 to 60 characters, a text of 10 to 3,000.
    const d = { ...g, title: g.title.length < 4 ? `${g.title}的问题` : g.title.slice(0, 60), text: g.text.length < 10 ? `${g.text}，请尽快解决。` : g.text.slice(0, 3000) };
    const t0 = this.createdAt(i, rng.next());
    const id = ++this.opinionId;
    const heap = this.heap;
    let last = t0 - 1;
    // Records an event; people act one after the other, a millisecond apart at least.
    const at = (t: number, action: string, actor: number | null, data: Record<string, unknown>, streamId = id, streamType = 'opinion'): void => {
      const when = Math.max(Math.floor(t), last + 1);
      last = when;
      heap.push(when, streamType, streamId, action, actor, data);
    };
    const happened = (t: number): boolean => t <= now;
    const citizenIdx = Math.floor(rng.next() * plan.citizens);
    const citizen = plan.firstCitizen + citizenIdx;
    const regionId = d.regionName ? this.regionByName.get(d.regionName) ?? refs.countyId : refs.countyId;
    const townId = this.townOfRegion.get(regionId) ?? this.pick(refs.townshipIds);
    const clock = refs.clocks[d.category] ?? { accept_days: 2, reply_days: 15 };
    const acceptDue = this.due(t0, clock.accept_days);
    let replyDue = this.due(t0, clock.reply_days);
    const kind = rng.chance(0.3) ? 'suggestion' : rng.chance(0.2) ? 'request' : 'opinion';

    // Where the citizen sent it, and who ends up handling it.
    let targetType: 'body' | 'member' | 'route' = 'body';
    let targetBody: number | null = null;
    let targetUser: number | null = null;
    let handlerBody: number;
    let handlerUser: number | null = null;
    let suggested: number | null = null;
    let reason: string | null = null;
    const routedTo = this.labelBody(d.label, townId);
    if (d.targetKind === 'auto') {
      targetType = 'route';
      handlerBody = refs.office;
      suggested = rng.chance(0.85) ? routedTo : this.pick(refs.committees);
      reason = `因为提到：${this.topicName.get(d.topicKey)}`;
    } else if (this.members.length && rng.chance(0.06)) {
      targetType = 'member';
      targetUser = this.pick(this.members);
      handlerBody = this.seatOf.get(targetUser)!;
      handlerUser = targetUser;
    } else {
      if (d.targetKind === 'special_committee') targetBody = d.label === 'township' ? this.labelBody('social', townId) : routedTo;
      else if (d.targetKind === 'liaison_group') targetBody = this.liaisonOf.get(townId) ?? refs.office;
      else if (d.targetKind === 'member_studio') {
        const here = refs.studios.filter((s) => s.regionId === townId);
        targetBody = this.pick(here.length ? here : refs.studios).id;
      } else {
        const here = refs.councils.filter((s) => s.regionId === regionId);
        targetBody = this.pick(here.length ? here : refs.councils).id;
      }
      handlerBody = targetBody;
    }
    at(t0, 'submitted', citizen, {
      handlerBodyId: handlerBody, handlerUserId: handlerUser, target: targetType, suggestedBodyId: suggested, acceptDue, replyDue, attachments: 0,
    });

    const consent = rng.chance(0.6) ? 1 : 0;
    let status = 'received';
    let routingConfirmed = targetType === 'route' ? 0 : 1;
    let acceptedAt: number | null = null;
    let declinedAt: number | null = null;
    let firstReplied: number | null = null;
    let repliedAt: number | null = null;
    let closedAt: number | null = null;
    let withdrawnAt: number | null = null;
    let reopen = 0;
    let mergedInto: number | null = null;
    let replyText: string | null = null;
    let ratingH: number | null = null;
    let ratingR: number | null = null;
    let hidden = false;

    const fate = rng.next();
    // Most are accepted within a working day or so; one in a hundred waits up to a week.
    const tAccept = t0 + (rng.chance(0.01) ? (2 + rng.next() * 6) * DAY : Math.min(3 * DAY, 600_000 - Math.log(1 - rng.next()) * 0.8 * DAY));
    const place = d.regionName ?? this.bodyName.get(this.liaisonOf.get(townId) ?? refs.office)!.replace(/^县政协|委员联络组$/g, '');
    const actor = (): number => handlerUser ?? this.actorOf.get(handlerBody)!;
    const entry = (t: number, kind: string, body: string, author: number | null, authorBody: number | null): number => {
      const eid = ++this.entryId;
      c.entries.push([eid, id, kind, author, authorBody, body, iso(t)]);
      return eid;
    };
    let accepted = false;
    if (fate < 0.015) {
      const tW = t0 + (0.05 + rng.next() * 1.5) * DAY;
      if (happened(tW) && tW < tAccept) {
        status = 'withdrawn'; withdrawnAt = tW; closedAt = tW;
        at(tW, 'withdrawn', citizen, {});
      } else accepted = happened(tAccept);
    } else accepted = happened(tAccept);

    if (accepted) {
      if (targetType === 'route') {
        at(tAccept - 60_000, 'routed', this.actorOf.get(refs.office)!, {
          fromBodyId: refs.office, fromUserId: null, toBodyId: routedTo, toUserId: null, entryId: null, suggestedBodyId: suggested,
        });
        handlerBody = routedTo;
        routingConfirmed = 1;
      }
      const mergeTarget = this.openByTopic.get(d.topicKey);
      if (fate >= 0.015 && fate < 0.075) {
        status = 'declined'; declinedAt = tAccept; closedAt = tAccept;
        const eid = entry(tAccept, 'decline_reason', this.pick(DECLINE_REASONS), actor(), handlerBody);
        at(tAccept, 'declined', actor(), { entryId: eid });
      } else if (fate >= 0.075 && fate < 0.1 && mergeTarget) {
        status = 'merged'; mergedInto = mergeTarget; closedAt = tAccept;
        at(tAccept, 'absorbed', actor(), { opinionId: id }, mergeTarget);
        at(tAccept, 'merged', actor(), { intoId: mergeTarget });
      } else {
        status = 'accepted';
        acceptedAt = tAccept;
        at(tAccept, 'accepted', actor(), { replyDue });
        this.openByTopic.set(d.topicKey, id);
        if (consent && rng.chance(0.01)) {
          // Staff take it out of the public list as they accept it.
          hidden = true;
          at(tAccept + 60_000, 'hidden', actor(), {});
        }
        let t = tAccept;
        if (rng.chance(0.04)) {
          const tq = t + (0.2 + rng.next()) * DAY;
          if (happened(tq)) {
            const q = entry(tq, 'question', this.pick(QUESTIONS), actor(), handlerBody);
            at(tq, 'question', actor(), { entryId: q });
            const ta = tq + (0.1 + rng.next() * 2) * DAY;
            if (happened(ta)) {
              const a = entry(ta, 'addition', this.pick(ADDITIONS), citizen, null);
              at(ta, 'citizen_added', citizen, { entryId: a });
              t = ta;
            }
          }
        }
        const topic = this.topicName.get(d.topicKey)!;
        const dept = refs.departmentOf[d.category] ?? refs.departmentOf.other!;
        const deptName = this.bodyName.get(dept)!;
        const deptActor = this.actorOf.get(dept)!;
        const months = String(1 + Math.floor(rng.next() * 5));
        let tReply = t + (rng.chance(0.04) ? 18 + rng.next() * 30 : 1.5 + rng.next() * 16) * DAY;
        const tWithdraw = rng.chance(0.01) ? t + (0.5 + rng.next() * 5) * DAY : Infinity;
        if (tWithdraw < tReply) {
          if (happened(tWithdraw)) {
            status = 'withdrawn'; withdrawnAt = tWithdraw; closedAt = tWithdraw;
            at(tWithdraw, 'withdrawn', citizen, {});
          }
        } else {
          // Forwarded to a department, whose answer is the reply; or replied by the handler.
          let item = 0;
          if (rng.chance(0.12)) {
            const tF = t + (0.3 + rng.next() * 2) * DAY;
            if (happened(tF)) {
              item = ++this.actionId;
              const dueOn = replyDue;
              at(tF, 'forwarded', actor(), { actionItemId: item, departmentId: dept, dueOn });
              at(tF, 'created', actor(), { sourceType: 'opinion', sourceId: id, ownerBodyId: dept, dueOn }, item, 'action_item');
              if (tReply <= tF) tReply = tF + (1 + rng.next() * 5) * DAY;
              const answered = happened(tReply);
              c.actions.push([item, 'opinion', id, d.title, `请${deptName}研究办理并于期限内答复群众。`, dept, actor(), handlerBody, dueOn,
                answered ? 'done' : 'open', null, null, null, null, iso(tF), iso(tF)]);
            }
          }
          if (happened(tReply)) {
            const text = item
              ? this.pick(DEPARTMENT_ANSWERS)({ topic, place, title: d.title, n: months })
              : this.pick(REPLIES)({ topic, place, dept: deptName, title: d.title, n: months });
            const author = item ? deptActor : actor();
            const eid = entry(tReply, 'reply', text, author, item ? dept : handlerBody);
            if (item) {
              // The department's answer: on the action item and, as the reply, on the opinion.
              const row = c.actions[c.actions.length - 1]!;
              row[10] = text; row[11] = iso(tReply); row[12] = deptActor; row[13] = iso(tReply); row[15] = iso(tReply);
              c.actionUpdates.push([item, 'answer', text, deptActor, iso(tReply)]);
              at(tReply, 'answer', deptActor, { done: true }, item, 'action_item');
              at(tReply, 'action_answered', deptActor, { actionItemId: item, departmentId: dept, entryId: eid });
            } else {
              at(tReply, 'replied', author, { entryId: eid });
            }
            status = 'replied'; firstReplied = tReply; repliedAt = tReply; replyText = text;
            // The citizen rates it (most do), or staff close it a while later.
            const tRate = tReply + (0.3 + rng.next() * 10) * DAY;
            if (rng.chance(0.72)) {
              if (happened(tRate)) {
                const h = rating(rng); const r = rating(rng);
                ratingH = h; ratingR = r;
                c.ratings.push([id, 1, h, r, this.pick(COMMENTS), iso(tRate)]);
                at(tRate, 'rated', citizen, { round: 1, handling: h, result: r });
                if (h === 1 || r === 1) {
                  reopen = 1; status = 'accepted';
                  replyDue = this.due(tRate, clock.reply_days);
                  at(tRate, 'reopened', citizen, {});
                  const t2 = tRate + (3 + rng.next() * 9) * DAY;
                  if (happened(t2)) {
                    const again = `针对您的再次反映，我们会同${deptName}重新核查，已于近日落实整改，并将跟踪回访。`;
                    const e2 = entry(t2, 'reply', again, actor(), handlerBody);
                    at(t2, 'replied', actor(), { entryId: e2 });
                    status = 'replied'; repliedAt = t2; replyText = again;
                    const t3 = t2 + (1 + rng.next() * 6) * DAY;
                    if (happened(t3)) {
                      const h2 = 2 + Math.floor(rng.next() * 2); const r2 = 2 + Math.floor(rng.next() * 2);
                      ratingH = h2; ratingR = r2;
                      c.ratings.push([id, 2, h2, r2, null, iso(t3)]);
                      at(t3, 'rated', citizen, { round: 2, handling: h2, result: r2 });
                      at(t3, 'closed', citizen, {});
                      status = 'closed'; closedAt = t3;
                    }
                  }
                } else {
                  at(tRate, 'closed', citizen, {});
                  status = 'closed'; closedAt = tRate;
                }
              }
            } else {
              const tClose = tReply + 15 * DAY;
              if (happened(tClose)) {
                at(tClose, 'closed', actor(), {});
                status = 'closed'; closedAt = tClose;
              }
            }
          }
        }
      }
    }
    const visible = consent && acceptedAt !== null && !hidden && (status === 'accepted' || status === 'replied' || status === 'closed') ? 1 : 0;
    // As submit.ts's contentHash: the duplicate check compares it.
    const hash = createHash('sha256').update(JSON.stringify([kind, d.title, d.text, d.category, regionId, targetType, targetBody, targetUser])).digest('hex');
    c.opinions.push([
      id, this.newCode(), kind, d.title, d.text, d.category, regionId, targetType, targetBody, targetUser,
      handlerBody, handlerUser, suggested, reason, routingConfirmed, citizen, citizenPhone(citizenIdx).slice(-4),
      consent, visible, status, acceptDue, replyDue, acceptedAt && iso(acceptedAt), declinedAt && iso(declinedAt),
      firstReplied && iso(firstReplied), repliedAt && iso(repliedAt), closedAt && iso(closedAt), withdrawnAt && iso(withdrawnAt),
      reopen, mergedInto, replyText, ratingH, ratingR, hash, iso(t0), iso(last),
    ]);
    const s = this.stats;
    if (visible) {
      s.publicOpinions++;
      c.search.push(['opinion', id, d.title, excerptOf(d.text), `/opinions/${id}`, iso(acceptedAt!), this.tokens.of(d.title, d.text)]);
    }
    s.byStatus[status] = (s.byStatus[status] ?? 0) + 1;
    if (t0 >= now - 30 * DAY) s.lastThirtyDays++;
  }
}
