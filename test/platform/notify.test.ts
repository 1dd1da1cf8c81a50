import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { AppContext } from '../../src/context.js';
import { JobWorker } from '../../src/platform/jobs/worker.js';
import { notify } from '../../src/platform/notify/notify.js';
import { closeTransports } from '../../src/platform/notify/smtp.js';
import { createTestContext } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';

/** Just enough SMTP to receive a message: collects what arrives after DATA. */
async function fakeSmtp(): Promise<{ port: number; mails: string[]; close(): Promise<void> }> {
  const mails: string[] = [];
  const server: Server = createServer((sock) => {
    let data: string | null = null;
    let buf = '';
    sock.write('220 fake ESMTP\r\n');
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (data !== null) {
          if (line === '.') {
            mails.push(data);
            data = null;
            sock.write('250 queued\r\n');
          } else data += line + '\n';
        } else if (/^(EHLO|HELO)/i.test(line)) sock.write('250 fake\r\n');
        else if (/^DATA/i.test(line)) {
          data = '';
          sock.write('354 go on\r\n');
        } else if (/^QUIT/i.test(line)) sock.end('221 bye\r\n');
        else sock.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { port, mails, close: () => new Promise((r) => server.close(() => r())) };
}

describe('notify', () => {
  let ctx: AppContext;
  let cleanup: () => Promise<void>;
  let smtp: Awaited<ReturnType<typeof fakeSmtp>>;
  const savedUrl = process.env.XS_SMTP_URL;
  before(async () => {
    smtp = await fakeSmtp();
    ({ ctx, cleanup } = await createTestContext());
  });
  after(async () => {
    closeTransports();
    await smtp.close();
    await cleanup();
    if (savedUrl === undefined) delete process.env.XS_SMTP_URL;
    else process.env.XS_SMTP_URL = savedUrl;
  });
  beforeEach(async () => {
    process.env.XS_SMTP_URL = `smtp://127.0.0.1:${smtp.port}`;
    smtp.mails.length = 0;
    await ctx.database.db.deleteFrom('jobs').execute();
  });

  async function withEmail(phone: string | undefined, email: string | null): Promise<number> {
    const id = await makeUser(ctx, { phone: phone ?? `139${Math.floor(Math.random() * 1e8).toString().padStart(8, '0')}` });
    await ctx.database.db.updateTable('user_pii').set({ email }).where('user_id', '=', id).execute();
    if (!phone) await ctx.database.db.updateTable('user_pii').set({ phone: null }).where('user_id', '=', id).execute();
    return id;
  }

  it('writes the in-site notice only, by default', async () => {
    const userId = await makeUser(ctx);
    const r = await notify(ctx.database.db, { userId, kind: 'opinion.replied', title: '您的意见已答复', body: '请查看', link: '/o/1' });
    assert.ok(r.notificationId);
    const row = await ctx.database.db.selectFrom('notifications').selectAll().where('id', '=', r.notificationId).executeTakeFirstOrThrow();
    assert.deepEqual([row.user_id, row.kind, row.title, row.body, row.link, row.read_at], [userId, 'opinion.replied', '您的意见已答复', '请查看', '/o/1', null]);
    assert.equal((await ctx.database.db.selectFrom('jobs').selectAll().execute()).length, 0);
  });

  it('queues SMS to the phone on file and e-mail, sent by the worker over SMTP', async () => {
    const userId = await withEmail('13811112222', 'citizen@example.org');
    const r = await notify(ctx.database.db, { userId, kind: 'k', title: '通知', body: '会议改期', channels: ['site', 'sms', 'email'] });
    assert.ok(r.notificationId && r.smsId && r.emailQueued);
    const sms = await ctx.database.db.selectFrom('sms_messages').selectAll().where('id', '=', r.smsId).executeTakeFirstOrThrow();
    assert.equal(sms.phone, '13811112222');
    assert.equal(sms.text, '通知：会议改期');
    assert.equal(await new JobWorker(ctx).runOnce(), 2);
    const jobs = await ctx.database.db.selectFrom('jobs').select(['kind', 'status', 'last_error']).orderBy('id').execute();
    assert.deepEqual(jobs.map((j) => [j.kind, j.status]), [['sms.send', 'done'], ['email.send', 'done']], JSON.stringify(jobs));
    assert.equal(smtp.mails.length, 1);
    assert.match(smtp.mails[0] ?? '', /To: citizen@example.org/);
  });

  it('leaves out channels the person has no address for', async () => {
    const userId = await withEmail(undefined, null);
    const r = await notify(ctx.database.db, { userId, kind: 'k', title: 't', body: 'b', channels: ['sms', 'email'] });
    assert.deepEqual(r, { notificationId: null, smsId: null, emailQueued: false });
  });

  it('skips e-mail when no SMTP server is configured', async () => {
    delete process.env.XS_SMTP_URL;
    const userId = await withEmail('13811113333', 'a@example.org');
    const r = await notify(ctx.database.db, { userId, kind: 'k', title: 't', body: 'b', channels: ['email'] });
    assert.equal(r.emailQueued, false);
    assert.equal((await ctx.database.db.selectFrom('jobs').selectAll().execute()).length, 0);
  });

  it('writes nothing when the caller\'s transaction rolls back', async () => {
    const userId = await withEmail('13811114444', 'b@example.org');
    const before = await ctx.database.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await assert.rejects(ctx.database.db.transaction().execute(async (trx) => {
      await notify(trx, { userId, kind: 'k', title: 't', body: 'b', channels: ['site', 'sms', 'email'] });
      throw new Error('change failed');
    }), /change failed/);
    const afterCount = await ctx.database.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(afterCount.n), Number(before.n));
    assert.equal((await ctx.database.db.selectFrom('jobs').selectAll().execute()).length, 0);
    assert.equal((await ctx.database.db.selectFrom('sms_messages').selectAll().where('phone', '=', '13811114444').execute()).length, 0);
  });
});
