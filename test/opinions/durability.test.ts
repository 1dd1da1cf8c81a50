import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sign } from '@fastify/cookie';
import { loadConfig } from '../../src/config.js';
import { closeContext, createContext } from '../../src/context.js';
import { dropPgSchema } from '../../src/db/database.js';
import { formatTrackingCode } from '../../src/modules/opinions/model.js';
import { createSession } from '../../src/platform/auth/sessions.js';
import { makeOpinionWorld, sampleOpinion } from '../helpers/opinions.js';

// An opinion is acknowledged (tracking code shown) only after it committed: the real server
// process is killed with SIGKILL the moment the acknowledgement (303 with the code) arrives,
// and after a restart the opinion, its timeline event and its outbox rows are all there.
describe('opinions: acknowledged means stored (kill -9 after the acknowledgement)', { timeout: 600_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xs-durable-'));
  const secret = 'durability-test-secret-durability-test-secret';
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  const schema = process.env.DATABASE_URL ? `durable_${port}` : '';
  const env = { ...process.env, XS_DATA_DIR: dataDir, XS_COOKIE_SECRET: secret, XS_PG_SCHEMA: schema, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  let child: ChildProcess | null = null;
  after(async () => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    if (schema && process.env.DATABASE_URL) await dropPgSchema(process.env.DATABASE_URL, schema);
  });

  async function start(): Promise<{ proc: ChildProcess; exited: Promise<NodeJS.Signals | number | null>; output: () => string }> {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let out = '';
    proc.stdout?.on('data', (d) => { out += String(d); });
    proc.stderr?.on('data', (d) => { out += String(d); });
    const exited = new Promise<NodeJS.Signals | number | null>((r) => proc.on('exit', (code, signal) => r(signal ?? code)));
    // A generous deadline: on a loaded CI machine tsx compiling the server can take a minute.
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) return { proc, exited, output: () => out };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not start:\n${out}`);
  }

  it('kill -9 right after the 303 with the tracking code: after a restart the opinion, its event and its notifications are there', async () => {
    // The installation and a signed-in citizen, written straight into the database the server will use.
    const config = loadConfig(env);
    let ctx = await createContext(config);
    await ctx.database.db.insertInto('settings').values({ key: 'setup_done', value: '1' }).execute();
    const w = await makeOpinionWorld(ctx);
    const token = await createSession(ctx.database.db, w.citizen);
    await closeContext(ctx);

    const session = `xs_sid=${encodeURIComponent(sign(token, secret))}`;
    const base = `http://127.0.0.1:${port}`;
    let server = await start();
    const form = await fetch(`${base}/opinions/new`, { headers: { cookie: session } });
    assert.equal(form.status, 200);
    const csrfCookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const cookie = `${session}; ${csrfCookie}`;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const post = (fields: Record<string, string>) => fetch(`${base}/opinions/new`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    const fields = sampleOpinion(w, { title: '断电后仍应保存', body: '发送成功并看到查询码之后，即使服务器立刻崩溃，这件意见也必须还在。' }) as Record<string, string>;
    const preview = await post({ step: 'preview', ...fields });
    assert.equal(preview.status, 200, await preview.text());

    const ack = await post({ step: 'send', ...fields });
    server.proc.kill('SIGKILL');
    assert.equal(ack.status, 303);
    const code = /^\/opinions\/track\/(\w{10})\?sent=1$/.exec(ack.headers.get('location') ?? '')?.[1];
    assert.ok(code, `acknowledged with a tracking code (${ack.headers.get('location')})`);
    assert.equal(await server.exited, 'SIGKILL');

    server = await start();
    const view = await fetch(`${base}/opinions/track/${code}`, { headers: { cookie: session }, redirect: 'manual' });
    assert.equal(view.status, 200, server.output());
    const html = await view.text();
    assert.ok(html.includes(formatTrackingCode(code)));
    assert.match(html, /断电后仍应保存/);
    server.proc.kill('SIGTERM');
    await server.exited;
    child = null;

    ctx = await createContext(loadConfig(env));
    try {
      const db = ctx.database.db;
      const op = await db.selectFrom('opinions').selectAll().where('tracking_code', '=', code).executeTakeFirstOrThrow();
      assert.equal(op.citizen_id, w.citizen);
      const events = await db.selectFrom('audit_events').select('action').where('stream_type', '=', 'opinion').where('stream_id', '=', String(op.id)).execute();
      assert.deepEqual(events.map((e) => e.action), ['submitted']);
      const notices = await db.selectFrom('notifications').select(['user_id', 'title']).where('link', 'like', `%${code}%`).execute();
      assert.ok(notices.some((n) => n.user_id === w.citizen), 'the citizen’s in-site notice');
      const sms = await db.selectFrom('sms_messages').select('text').where('phone', '=', w.citizenPhone).execute();
      assert.ok(sms.some((s) => s.text.includes(formatTrackingCode(code))), 'the text message with the code, in the outbox');
      const inbox = await db.selectFrom('notifications').select('user_id').where('link', '=', `/handle/opinions/${op.id}`).execute();
      assert.ok(inbox.some((n) => n.user_id === w.member), 'the member’s inbox notice');
    } finally {
      await closeContext(ctx);
    }
  });
});
