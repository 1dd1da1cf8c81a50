import { Worker } from 'node:worker_threads';
import type { AppContext } from '../src/context.js';
import { sql } from '../src/db/database.js';
import { COUNTY } from '../src/modules/demo/data/places.js';
import { routingBodyId } from '../src/modules/opinions/recipient.js';
import { AUDIT_ANCHOR_KEY, readAnchor } from '../src/platform/timeline/audit.js';
import { GENESIS_HASH } from '../src/platform/timeline/canonical.js';
import { maskPhone } from '../src/platform/validation.js';
import { type Cols, openBulk } from './opinions-bulk.js';
import {
  ACTION_COLUMNS, ACTION_UPDATE_COLUMNS, AUDIT_COLUMNS, type Chunk, DAY, ENTRY_COLUMNS, OPINION_COLUMNS, OpinionHistory, RATING_COLUMNS,
  SEARCH_COLUMNS, SPAN_DAYS, type SeedPlan, type SeedRefs, type SeedStats, citizenPhone,
} from './opinions-history.js';

// The voice channel's volume for `npm run bench`: a million citizens' opinions over two
// years with every row the service would have written for them (see opinions-history.ts
// for their lives). This side reads the county from the database, adds the handler
// accounts and the citizens, then writes what the generator (a worker thread) produces:
// one transaction per chunk of opinions, through the raw driver (opinions-bulk.ts). At the
// end the audit chain's anchor moves to the new head, so `verify-audit` passes.

export { citizenPhone };

export interface OpinionSeedOptions {
  count: number;
  citizens: number;
  /** The moment "now" of the seeded history (defaults to the current time). */
  now?: Date;
  seed?: number;
  chunk?: number;
  /** Generate in this thread instead of a worker (tests). */
  inProcess?: boolean;
  log?: (line: string) => void;
}

export interface OpinionSeedResult extends SeedStats {
  seconds: number;
  opinions: number;
}

/** Usernames of the handler accounts the seed adds, one per body (staff, or a department's handler). */
export const staffUsername = (bodyId: number): string => `bench_staff_${bodyId}`;

// Where staff route each label: the demo county's special committees (it has no separate
// environment or urban-construction committee, so those go to agriculture and economy).
const LABEL_COMMITTEE: Record<string, string> = {
  social: '社会和法制委员会', economy: '经济委员会', agri: '农业和农村委员会', edu: '教科卫体委员会', env: '农业和农村委员会', urban: '经济委员会',
};
// Which department a forwarded opinion goes to, by category.
const CATEGORY_DEPARTMENT: Record<string, string> = {
  traffic: '县交通运输局', urban: '县住建局', health: '县卫健局', education: '县教育局', agriculture: '县农业农村局',
  environment: '县农业农村局', elderly: '县民政局', livelihood: '县民政局', employment: '县民政局', safety: '县民政局', other: '县民政局',
};

const intCol = (c: string) => /(^id$|_id$|^round$|^handling$|^result$|_consent$|_visible$|_confirmed$|_count$|^rating_|^assigned_by$|^answered_by$)/.test(c);
const cols = (names: readonly string[]): Cols => names.map((c) => [c, intCol(c) ? 'int' : 'text'] as const);
const TABLES: [keyof Omit<Chunk, 'done' | 'prev'>, string, Cols][] = [
  ['opinions', 'opinions', cols(OPINION_COLUMNS)],
  ['entries', 'opinion_entries', cols(ENTRY_COLUMNS)],
  ['ratings', 'opinion_ratings', cols(RATING_COLUMNS)],
  ['actions', 'action_items', cols(ACTION_COLUMNS)],
  ['actionUpdates', 'action_item_updates', cols(ACTION_UPDATE_COLUMNS)],
  ['search', 'search_docs', cols(SEARCH_COLUMNS)],
  ['audit', 'audit_events', cols(AUDIT_COLUMNS)],
];

export async function seedOpinions(ctx: AppContext, o: OpinionSeedOptions): Promise<OpinionSeedResult> {
  const started = Date.now();
  const log = o.log ?? (() => {});
  const db = ctx.database.db;
  const now = (o.now ?? new Date()).getTime();
  const nowIso = new Date(now).toISOString();

  // ---- The county: regions, bodies, members' seats, clocks.
  const regions = await db.selectFrom('regions').select(['id', 'parent_id', 'level', 'name']).execute();
  const county = regions.find((r) => r.level === 'county' && r.name === COUNTY.name);
  if (!county) throw new Error('seedOpinions needs the demo county (seedDemo first)');
  const townships = regions.filter((r) => r.parent_id === county.id);
  const regionByName: [string, number][] = [];
  const townOfRegion: [number, number][] = [];
  for (const t of townships) {
    regionByName.push([t.name, t.id]);
    townOfRegion.push([t.id, t.id]);
    for (const v of regions.filter((r) => r.parent_id === t.id)) {
      regionByName.push([`${t.name}${v.name}`, v.id]);
      townOfRegion.push([v.id, t.id]);
    }
  }
  const bodies = await db.selectFrom('bodies').select(['id', 'kind', 'name', 'region_id']).execute();
  const office = await routingBodyId(db);
  if (!office) throw new Error('no committee body');
  const byName = new Map(bodies.map((b) => [b.name, b.id]));
  const ofKind = (k: string) => bodies.filter((b) => b.kind === k);
  const today = nowIso.slice(0, 10);
  const seats = await db.selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .innerJoin('member_profiles', 'member_profiles.user_id', 'memberships.user_id')
    .select(['memberships.user_id', 'memberships.body_id'])
    .where('users.status', '=', 'active').where('member_profiles.is_public', '=', 1)
    .where('memberships.role', 'in', ['member', 'standing_member'])
    .where((eb) => eb.or([eb('memberships.ends_on', 'is', null), eb('memberships.ends_on', '>=', today)]))
    .orderBy('memberships.id').execute();
  const seatOf = new Map<number, number>();
  for (const s of seats) if (!seatOf.has(s.user_id)) seatOf.set(s.user_id, s.body_id);
  const clocks = Object.fromEntries((await db.selectFrom('opinion_categories').select(['key', 'accept_days', 'reply_days']).execute())
    .map((c) => [c.key, { accept_days: c.accept_days, reply_days: c.reply_days }]));

  // ---- Handler accounts: one per body that handles opinions and per department; the
  //      committee office acts through the demo's `staff` account.
  const actorOf = new Map<number, number>();
  const staff = await db.selectFrom('users').select('id').where('username', '=', 'staff').executeTakeFirst();
  if (staff) actorOf.set(office, staff.id);
  const handled = ['special_committee', 'liaison_group', 'member_studio', 'community_council', 'department'].flatMap(ofKind);
  if (!staff) handled.unshift(bodies.find((b) => b.id === office)!);
  await db.transaction().execute(async (trx) => {
    for (const b of handled) {
      const user = await trx.insertInto('users').values({
        display_name: `${b.name}${b.kind === 'department' ? '承办人' : '工作人员'}`, username: staffUsername(b.id), password_hash: null,
        totp_secret: null, is_admin: 0, locale: null, created_at: nowIso, erased_at: null,
      }).returning('id').executeTakeFirstOrThrow();
      const role = b.kind === 'department' ? 'department_handler' : b.kind === 'community_council' ? 'council_facilitator' : 'staff';
      await trx.insertInto('memberships').values({ user_id: user.id, body_id: b.id, role, term_id: null, title: null, starts_on: null, ends_on: null, created_at: nowIso }).execute();
      actorOf.set(b.id, user.id);
    }
  });
  const refs: SeedRefs = {
    countyId: county.id, townshipIds: townships.map((t) => t.id), regionByName, townOfRegion, office,
    committees: ofKind('special_committee').map((b) => b.id),
    labelBody: Object.fromEntries(Object.entries(LABEL_COMMITTEE).map(([label, name]) => [label, byName.get(name) ?? office])),
    liaisonOf: ofKind('liaison_group').filter((b) => b.region_id !== null).map((b) => [b.region_id!, b.id]),
    studios: ofKind('member_studio').map((b) => ({ id: b.id, regionId: b.region_id })),
    councils: ofKind('community_council').map((b) => ({ id: b.id, regionId: b.region_id })),
    departmentOf: Object.fromEntries(Object.entries(CATEGORY_DEPARTMENT).map(([cat, name]) => [cat, byName.get(name) ?? ofKind('department')[0]!.id])),
    bodyName: bodies.map((b) => [b.id, b.name]),
    seatOf: [...seatOf], clocks, actorOf: [...actorOf],
  };

  const bulk = await openBulk(ctx.database);
  try {
    // ---- Ids continue after what is there; the seed gives them itself (events refer to them).
    const maxId = async (table: 'users' | 'opinions' | 'opinion_entries' | 'action_items') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
    const anchor = await readAnchor(db);
    let prev: { id: number; hash: string };
    if (anchor && anchor !== 'invalid') prev = anchor;
    else {
      const last = await db.selectFrom('audit_events').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
      prev = last ? { id: Number(last.id), hash: last.hash } : { id: 0, hash: GENESIS_HASH };
    }

    // ---- Citizens, each with a phone (tracking asks for its last four digits).
    let userId = await maxId('users');
    const firstCitizen = userId + 1;
    const since = new Date(now - SPAN_DAYS * DAY - DAY).toISOString();
    for (let i = 0; i < o.citizens; i += 20_000) {
      const users: unknown[][] = [];
      const pii: unknown[][] = [];
      for (let k = i; k < Math.min(i + 20_000, o.citizens); k++) {
        const id = ++userId;
        users.push([id, maskPhone(citizenPhone(k)), 0, 'active', since]);
        pii.push([id, citizenPhone(k), since]);
      }
      await bulk.tx(async () => {
        await bulk.insert('users', [['id', 'int'], ['display_name', 'text'], ['is_admin', 'int'], ['status', 'text'], ['created_at', 'text']], users);
        await bulk.insert('user_pii', [['user_id', 'int'], ['phone', 'text'], ['updated_at', 'text']], pii);
      });
    }
    log(`  ${o.citizens} citizens with phones, ${handled.length} handler accounts`);

    // ---- The opinions: the generator runs one chunk ahead of the writer.
    const plan: SeedPlan = {
      refs, count: o.count, citizens: o.citizens, firstCitizen, lastOpinionId: await maxId('opinions'),
      lastEntryId: await maxId('opinion_entries'), lastActionId: await maxId('action_items'), prev, now, seed: o.seed ?? 1_000_003,
      chunk: o.chunk ?? 10_000, usedCodes: (await db.selectFrom('opinions').select('tracking_code').execute()).map((r) => r.tracking_code),
    };
    const source = o.inProcess ? inProcess(plan) : inWorker(plan);
    let ask = source.next();
    let stats: SeedStats | null = null;
    let logged = 0;
    while (!stats) {
      const got = await ask;
      if ('end' in got) { stats = got.end; break; }
      ask = source.next();
      const c = got.chunk;
      await bulk.tx(async () => {
        for (const [key, table, columns] of TABLES) await bulk.insert(table, columns, c[key]);
        const value = JSON.stringify({ id: c.prev.id, hash: c.prev.hash });
        // The anchor moves with every chunk, in its transaction: the chain is whole after each commit.
        await bulk.exec(`INSERT INTO settings (key, value) VALUES ('${AUDIT_ANCHOR_KEY}', '${value}') ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
      });
      if (c.done - logged >= 100_000 || c.done === o.count) {
        logged = c.done;
        log(`  ${c.done} / ${o.count} opinions, audit chain at ${c.prev.id} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      }
    }
    await source.close();

    if (ctx.database.dialect === 'postgres') {
      for (const table of ['users', 'opinions', 'opinion_entries', 'action_items', 'audit_events']) {
        await bulk.exec(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
      }
      await sql`ANALYZE`.execute(db);
    }
    return { ...stats, seconds: (Date.now() - started) / 1000, opinions: o.count };
  } finally {
    await bulk.release();
  }
}

type Answer = { chunk: Chunk } | { end: SeedStats };
interface Source { next(): Promise<Answer>; close(): Promise<void> }

function inProcess(plan: SeedPlan): Source {
  const h = new OpinionHistory(plan);
  return {
    async next() {
      const chunk = h.next();
      return chunk ? { chunk } : { end: h.stats };
    },
    async close() {},
  };
}

function inWorker(plan: SeedPlan): Source {
  // The worker loads TypeScript through tsx, as this process does.
  const url = new URL('./opinions-seed-worker.ts', import.meta.url).href;
  const worker = new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); })`, { eval: true, workerData: plan });
  let failed: Error | null = null;
  const waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void }[] = [];
  worker.on('message', (m: Answer | { error: string }) => {
    const w = waiting.shift();
    if ('error' in m) w?.reject(new Error(`seed worker: ${m.error}`));
    else w?.resolve(m);
  });
  worker.on('error', (e) => {
    failed = e;
    for (const w of waiting.splice(0)) w.reject(e);
  });
  return {
    next() {
      if (failed) return Promise.reject(failed);
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.postMessage('next');
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
