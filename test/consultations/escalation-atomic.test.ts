import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { escalate, respondToEscalation } from '../../src/modules/consultations/escalation-service.js';
import { ConflictError } from '../../src/platform/errors.js';
import { type TestApp, createTestApp } from '../helpers/app.js';
import { userOf } from '../helpers/opinions.js';
import { type GrassrootsWorld, makeGrassrootsWorld } from './grassroots-world.js';

// Accepting an escalation "into a new consultation" writes the consultation and the
// escalation's record of it in one transaction: when the second part fails, neither is
// there (a trigger makes the escalation's update fail; two receivers answering at once).

const isPg = Boolean(process.env.DATABASE_URL);

describe('consultations: an escalation accepted into a new consultation is one transaction', () => {
  let t: TestApp;
  let w: GrassrootsWorld;
  const db = () => t.ctx.database.db;
  const consultationsTitled = async (title: string) => (await db().selectFrom('consultations').select('id').where('title', '=', title).execute()).map((r) => r.id);
  const count = async (table: 'consultations' | 'consultation_bodies' | 'audit_events' | 'search_docs') =>
    Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const newEscalation = async (title: string) =>
    escalate(t.ctx, await userOf(t.ctx, w.facilitator), { fromBodyId: String(w.council), toBodyId: String(w.group), title, description: '老旧小区加装电梯涉及多个部门，社区无法协调，请街道组织协商。' });
  const accept = async (id: number) =>
    respondToEscalation(t.ctx, await userOf(t.ctx, w.groupStaff), id, { action: 'accept', result: 'new_consultation', form: 'thematic', response: '街道将组织专题协商。' });

  before(async () => {
    t = await createTestApp();
    w = await makeGrassrootsWorld(t.ctx);
  });
  after(() => t.close());

  it('when recording the result fails, no consultation is left behind; once it succeeds, it is made and linked', async () => {
    const title = '老旧小区加装电梯协调';
    const id = await newEscalation(title);
    if (isPg) {
      await sql`CREATE FUNCTION escalations_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'forced failure'; END $$`.execute(db());
      await sql`CREATE TRIGGER escalations_fail BEFORE UPDATE ON escalations FOR EACH ROW WHEN (NEW.result_type = 'consultation') EXECUTE FUNCTION escalations_fail()`.execute(db());
    } else {
      await sql`CREATE TRIGGER escalations_fail BEFORE UPDATE ON escalations WHEN NEW.result_type = 'consultation' BEGIN SELECT RAISE(ABORT, 'forced failure'); END`.execute(db());
    }
    const before = { consultations: await count('consultations'), bodies: await count('consultation_bodies'), events: await count('audit_events'), search: await count('search_docs') };
    await assert.rejects(accept(id), /forced failure/);
    assert.deepEqual(await consultationsTitled(title), [], 'no consultation without the escalation recording it');
    assert.deepEqual({ consultations: await count('consultations'), bodies: await count('consultation_bodies'), events: await count('audit_events'), search: await count('search_docs') }, before,
      'nor its bodies, its audit event or its search entry');
    const e = await db().selectFrom('escalations').select(['status', 'result_type', 'result_id']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([e.status, e.result_type, e.result_id], ['sent', null, null]);

    await sql`DROP TRIGGER escalations_fail${sql.raw(isPg ? ' ON escalations' : '')}`.execute(db());
    if (isPg) await sql`DROP FUNCTION escalations_fail()`.execute(db());
    await accept(id);
    const made = await consultationsTitled(title);
    assert.equal(made.length, 1);
    const done = await db().selectFrom('escalations').select(['status', 'result_type', 'result_id']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([done.status, done.result_type, done.result_id], ['accepted', 'consultation', made[0]]);
  });

  it('two receivers accepting at once make one consultation; the other is refused and leaves nothing', async () => {
    const title = '背街小巷路灯照明改造';
    const id = await newEscalation(title);
    const results = await Promise.allSettled([accept(id), accept(id)]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.ok(refused?.reason instanceof ConflictError, String(refused?.reason));
    const made = await consultationsTitled(title);
    assert.equal(made.length, 1, 'exactly one consultation');
    assert.equal((await db().selectFrom('escalations').select('result_id').where('id', '=', id).executeTakeFirstOrThrow()).result_id, made[0]);
  });
});
