import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { citizenPhone, seedOpinions, staffUsername } from '../../bench/opinions-seed.js';
import type { AppContext } from '../../src/context.js';
import { seedDemo } from '../../src/modules/demo/seed.js';
import { findByTracking } from '../../src/modules/opinions/citizen.js';
import { documentTokens } from '../../src/platform/search/index.js';
import { appendEvent, readAnchor } from '../../src/platform/timeline/audit.js';
import { verifyAudit } from '../../src/platform/timeline/verify.js';
import { createTestContext } from '../helpers/app.js';

// The benchmark's voice-channel seed (bench/opinions-seed.ts) writes rows below the
// services, so these checks hold it to what the services would have written: an audit
// chain verify-audit accepts, the search index's own tokens, texts and dates that agree
// with the statuses, tracking by code and last four digits.

const COUNT = 3000;
const NOW = new Date('2026-06-15T04:00:00Z');
const DAY = 86_400_000;

describe('bench voice-channel seed', () => {
  let ctx: AppContext;
  let cleanup: () => Promise<void>;
  let start: { opinions: number; audit: number };

  before(async () => {
    ({ ctx, cleanup } = await createTestContext());
    await seedDemo(ctx, { force: true });
    const db = ctx.database.db;
    start = {
      opinions: Number((await db.selectFrom('opinions').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0),
      audit: Number((await db.selectFrom('audit_events').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0),
    };
    await seedOpinions(ctx, { count: COUNT, citizens: 300, now: NOW, chunk: 700, inProcess: true });
  });
  after(async () => cleanup());

  const mine = () => ctx.database.db.selectFrom('opinions').where('id', '>', start.opinions);

  it('extends the audit chain so that verify-audit passes and the anchor is its head', async () => {
    const report = await verifyAudit(ctx.database.db);
    assert.deepEqual(report.problems, []);
    assert.ok(report.ok);
    const anchor = await readAnchor(ctx.database.db);
    assert.ok(anchor && anchor !== 'invalid');
    assert.equal(anchor.id, report.checked);
    assert.ok(anchor.id > start.audit + COUNT * 3, 'several events per opinion');
    // The live app continues the same chain.
    await appendEvent(ctx.database.db, { streamType: 'test', streamId: 1, action: 'after_seed', actorId: null });
    assert.ok((await verifyAudit(ctx.database.db)).ok);
  });

  it('writes the chain in time order, each opinion starting with its submission', async () => {
    const db = ctx.database.db;
    const events = await db.selectFrom('audit_events').select(['id', 'stream_id', 'action', 'created_at'])
      .where('id', '>', start.audit).where('stream_type', '=', 'opinion').orderBy('id').execute();
    let last = '';
    const first = new Map<string, string>();
    for (const e of events) {
      assert.ok(e.created_at >= last, `event ${e.id} is older than the one before it`);
      last = e.created_at;
      if (!first.has(e.stream_id)) first.set(e.stream_id, e.action);
    }
    const ids = (await mine().select('id').execute()).map((r) => String(r.id));
    assert.equal(ids.length, COUNT);
    for (const id of ids) assert.equal(first.get(id), 'submitted', `opinion ${id}`);
    assert.ok(last <= NOW.toISOString(), 'nothing after "now"');
  });

  it('spreads the opinions over two years, statuses, regions and bodies', async () => {
    const rows = await mine().select(['status', 'created_at', 'region_id', 'handler_body_id', 'public_visible', 'category_key']).execute();
    const since = new Date(NOW.getTime() - 730 * DAY - DAY).toISOString();
    assert.ok(rows.every((r) => r.created_at >= since && r.created_at <= NOW.toISOString()));
    const recent = rows.filter((r) => r.created_at >= new Date(NOW.getTime() - 30 * DAY).toISOString()).length;
    const expected = (COUNT * 30) / 730;
    assert.ok(recent > expected * 0.7 && recent < expected * 1.3, `${recent} in the last 30 days`);
    const by = (k: 'status' | 'region_id' | 'handler_body_id' | 'category_key') => new Set(rows.map((r) => r[k]));
    for (const s of ['received', 'accepted', 'replied', 'closed', 'declined']) assert.ok(by('status').has(s), `some ${s}`);
    assert.ok(by('region_id').size > 20);
    assert.ok(by('handler_body_id').size > 10);
    assert.ok(by('category_key').size >= 10);
    const closed = rows.filter((r) => r.status === 'closed').length;
    assert.ok(closed > COUNT * 0.6, 'mostly closed');
    const share = rows.filter((r) => r.public_visible === 1).length / COUNT;
    assert.ok(share > 0.4 && share < 0.65, `public share ${share}`);
  });

  it('keeps texts, dates and ratings consistent with each status', async () => {
    const db = ctx.database.db;
    const ops = await mine().selectAll().execute();
    const entries = await db.selectFrom('opinion_entries').select(['opinion_id', 'kind']).where('opinion_id', '>', start.opinions).execute();
    const kinds = new Map<number, string[]>();
    for (const e of entries) kinds.set(e.opinion_id, [...(kinds.get(e.opinion_id) ?? []), e.kind]);
    const rated = new Set((await db.selectFrom('opinion_ratings').select('opinion_id').where('opinion_id', '>', start.opinions).execute()).map((r) => r.opinion_id));
    for (const o of ops) {
      const k = kinds.get(o.id) ?? [];
      if (o.status === 'replied' || o.status === 'closed') {
        assert.ok(o.replied_at && o.reply_text && k.includes('reply'), `opinion ${o.id} ${o.status} has its reply`);
        assert.ok(o.accepted_at! <= o.replied_at!);
      }
      if (o.status === 'closed') assert.ok(o.closed_at && o.closed_at >= o.replied_at!);
      if (o.status === 'declined') assert.ok(o.declined_at && k.includes('decline_reason'));
      if (o.status === 'merged') assert.ok(o.merged_into_id !== null && o.merged_into_id < o.id);
      if (o.status === 'received') assert.equal(o.accepted_at, null);
      if (o.rating_handling !== null) assert.ok(rated.has(o.id));
      if (o.public_visible === 1) {
        assert.ok(o.public_consent === 1 && o.accepted_at !== null && ['accepted', 'replied', 'closed'].includes(o.status), `public_visible of ${o.id}`);
      }
    }
    // Allowed, accepted and still open or answered, yet not public: only those staff hid.
    const hiddenByStaff = ops.filter((o) => o.public_visible === 0 && o.public_consent === 1 && o.accepted_at !== null && ['accepted', 'replied', 'closed'].includes(o.status));
    const hiddenEvents = await db.selectFrom('audit_events').select('stream_id').where('id', '>', start.audit).where('stream_type', '=', 'opinion')
      .where('action', '=', 'hidden').execute();
    assert.deepEqual(hiddenByStaff.map((o) => String(o.id)).sort(), hiddenEvents.map((e) => e.stream_id).sort());
  });

  it('indexes exactly the public opinions, with the platform’s own tokens', async () => {
    const db = ctx.database.db;
    const docs = await db.selectFrom('search_docs').select(['doc_id', 'title', 'tokens', 'url']).where('doc_type', '=', 'opinion')
      .where('doc_id', '>', start.opinions).execute();
    const pub = await mine().select(['id', 'title', 'body']).where('public_visible', '=', 1).execute();
    assert.deepEqual(docs.map((d) => d.doc_id).sort((a, b) => a - b), pub.map((p) => p.id).sort((a, b) => a - b));
    const byId = new Map(pub.map((p) => [p.id, p]));
    for (const d of docs.slice(0, 300)) {
      const p = byId.get(d.doc_id)!;
      assert.equal(d.url, `/opinions/${p.id}`);
      assert.deepEqual(d.tokens.split(/\s+/).sort(), documentTokens(p.title, p.body).split(/\s+/).sort());
    }
  });

  it('lets a sender follow an opinion with the code and the last four digits of their phone', async () => {
    const db = ctx.database.db;
    const o = await mine().select(['id', 'tracking_code', 'phone_last4', 'citizen_id']).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const pii = await db.selectFrom('user_pii').select('phone').where('user_id', '=', o.citizen_id!).executeTakeFirstOrThrow();
    assert.equal(pii.phone!.slice(-4), o.phone_last4);
    assert.match(pii.phone!, /^139\d{8}$/);
    assert.equal(citizenPhone(0), '13900000000');
    const found = await findByTracking(ctx, o.tracking_code, o.phone_last4);
    assert.equal(found.id, o.id);
    await assert.rejects(findByTracking(ctx, o.tracking_code, o.phone_last4 === '0000' ? '0001' : '0000'));
  });

  it('gives every handling body an account that acts for it', async () => {
    const db = ctx.database.db;
    const handlers = await mine().select('handler_body_id').distinct().execute();
    const office = await db.selectFrom('bodies').select('id').where('parent_id', 'is', null).where('kind', '=', 'committee').executeTakeFirstOrThrow();
    for (const h of handlers) {
      const owner = await db.selectFrom('bodies').select('kind').where('id', '=', h.handler_body_id).executeTakeFirstOrThrow();
      if (h.handler_body_id === office.id || owner.kind === 'committee') continue;
      const u = await db.selectFrom('users').innerJoin('memberships', 'memberships.user_id', 'users.id').select('memberships.role')
        .where('users.username', '=', staffUsername(h.handler_body_id)).where('memberships.body_id', '=', h.handler_body_id).executeTakeFirst();
      // Member studios' opinions addressed to a member are acted on by the member; bodies still have their staff account.
      assert.ok(u, `body ${h.handler_body_id} (${owner.kind}) has a staff account`);
    }
  });
});
