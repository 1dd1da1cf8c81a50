import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { type TestApp, createTestApp } from '../../../../test/helpers/app.js';
import { makeBody, makeUser, signedInJar } from '../../../../test/helpers/factories.js';
import { type Jar, csrfToken, postForm } from '../../../../test/helpers/http.js';
import { multipartBody } from '../../../../test/permissions/multipart.js';
import { COLUMNS } from './columns.js';

type Row = Partial<Record<(typeof COLUMNS)[number]['key'], string>>;

async function sheet(rows: Row[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('委员');
  ws.addRow(COLUMNS.map((c) => c.header));
  for (const r of rows) ws.addRow(COLUMNS.map((c) => r[c.key] ?? ''));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const member = (n: number, extra: Row = {}): Row => ({
  name: `委员${n}`, gender: '女', ethnicity: '汉族', party: '无党派', phone: `1390000${String(n).padStart(4, '0')}`, sector: '教育界',
  term: '第十五届', committee: '提案委员会', township: '城关镇', occupation: '县一中 教师', standing: n === 1 ? '是' : '否', ...extra,
});

describe('member import', () => {
  let t: TestApp;
  let jar: Jar;
  let committee: number;

  before(async () => {
    t = await createTestApp();
    const db = t.ctx.database.db;
    committee = await makeBody(t.ctx, { name: '县政协', kind: 'committee' });
    await makeBody(t.ctx, { name: '提案委员会', kind: 'special_committee', parentId: committee });
    await db.insertInto('settings').values({ key: 'committee_body_id', value: String(committee) }).execute();
    const county = await db.insertInto('regions').values({ parent_id: null, level: 'county', name: '青山县', name_en: null, code: null }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('regions').values({ parent_id: county.id, level: 'township', name: '城关镇', name_en: null, code: null }).execute();
    await db.insertInto('sectors').values({ name: '教育界', name_en: null }).execute();
    await db.insertInto('terms').values({ number: 15, name: '第十五届', starts_on: '2022-01-01', ends_on: null }).execute();
    jar = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { roles: [{ bodyId: committee, role: 'admin' }] }));
  });
  after(async () => { await t.close(); });

  const upload = async (content: Buffer, filename = 'members.xlsx') => {
    const { body, contentType } = multipartBody({ _csrf: csrfToken(t.app, jar) }, { name: 'file', filename, content });
    return t.app.inject({ method: 'POST', url: '/admin/import', payload: body, headers: { 'content-type': contentType, cookie: jar.header() } });
  };
  const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const counts = async () => {
    const db = t.ctx.database.db;
    const n = async (tb: 'users' | 'user_pii' | 'member_profiles' | 'memberships') => Number((await db.selectFrom(tb).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { users: await n('users'), pii: await n('user_pii'), profiles: await n('member_profiles'), memberships: await n('memberships') };
  };

  it('serves a template with the columns', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/admin/import/template.xlsx', headers: { cookie: jar.header() } });
    assert.equal(res.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    assert.deepEqual((wb.worksheets[0]?.getRow(1).values as unknown[]).slice(1), COLUMNS.map((c) => c.header));
  });

  it('imports a valid file after confirmation, in one go, with one audit event', async () => {
    const before = await counts();
    const res = await upload(await sheet([member(1), member(2), member(3, { committee: '', township: '' })]));
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /3 行无误/);
    assert.deepEqual(await counts(), before, 'checking imports nothing');
    const done = await postForm(t.app, '/admin/import/confirm', { token: tokenOf(res.body) }, jar);
    assert.equal(done.statusCode, 303, done.body);
    const after = await counts();
    assert.equal(after.users - before.users, 3);
    assert.equal(after.pii - before.pii, 3);
    assert.equal(after.profiles - before.profiles, 3);
    assert.equal(after.memberships - before.memberships, 5, 'committee for all three, special committee for two');
    const db = t.ctx.database.db;
    const standing = await db.selectFrom('memberships').innerJoin('user_pii', 'user_pii.user_id', 'memberships.user_id')
      .select('memberships.role').where('user_pii.phone', '=', '13900000001').where('memberships.body_id', '=', committee).executeTakeFirstOrThrow();
    assert.equal(standing.role, 'standing_member');
    const events = await db.selectFrom('audit_events').select('data').where('stream_type', '=', 'member_import').execute();
    assert.equal(events.length, 1);
    assert.equal(JSON.parse(events[0]?.data ?? '{}').imported, 3);
    const again = await postForm(t.app, '/admin/import/confirm', { token: tokenOf(res.body) }, jar);
    assert.equal(again.statusCode, 400, 'a used upload cannot be confirmed twice');
  });

  it('re-uploading the same file reports duplicates and creates nothing', async () => {
    const before = await counts();
    const res = await upload(await sheet([member(1), member(2)]));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /已属于系统中的用户/);
    assert.doesNotMatch(res.body, /name="token"/, 'nothing valid to import');
    assert.deepEqual(await counts(), before);
  });

  it('one bad row blocks everything; "valid rows only" imports the rest', async () => {
    const before = await counts();
    const rows = [member(10), member(11, { phone: '12345' }), member(12, { name: '' }), member(13, { sector: '不存在界' }), member(14, { phone: '13900000010' }),
      member(15, { occupation: '长'.repeat(101) }), member(16, { term: '第九十九届' }), member(17)];
    const res = await upload(await sheet(rows));
    assert.equal(res.statusCode, 200);
    for (const text of ['手机号必须是 11 位', '缺少姓名', '没有界别“不存在界”', '与第 2 行重复', '不能超过 100 个字', '没有届次“第九十九届”']) assert.ok(res.body.includes(text), text);
    const token = tokenOf(res.body);
    const blocked = await postForm(t.app, '/admin/import/confirm', { token }, jar);
    assert.equal(blocked.statusCode, 400);
    assert.deepEqual(await counts(), before, 'nothing imported while rows are invalid');
    const partial = await postForm(t.app, '/admin/import/confirm', { token, validOnly: '1' }, jar);
    assert.equal(partial.statusCode, 303, partial.body);
    assert.match(partial.headers.location ?? '', /n=2&skipped=6/);
    assert.equal((await counts()).users - before.users, 2);
  });

  it('refuses a file that is not really .xlsx, and an empty file', async () => {
    const before = await counts();
    const fake = await upload(Buffer.from('姓名,手机号\n张三,13900009999\n'), 'members.xlsx');
    assert.equal(fake.statusCode, 400);
    assert.match(fake.body, /不是有效的 Excel/);
    const zipish = await upload(Buffer.from('PK\x03\x04 not really a zip'), 'members.xlsx');
    assert.equal(zipish.statusCode, 400);
    const empty = await upload(Buffer.alloc(0));
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /文件是空的/);
    const header = await upload(await sheet([]));
    assert.equal(header.statusCode, 400);
    assert.match(header.body, /没有数据行/);
    assert.deepEqual(await counts(), before);
  });

  it('refuses confirmation with a made-up or another user\'s token', async () => {
    const res = await upload(await sheet([member(40)]));
    const other = await signedInJar(t.app, t.ctx, await makeUser(t.ctx, { roles: [{ bodyId: committee, role: 'admin' }] }));
    for (const [token, j] of [['../../etc/passwd', jar], ['A'.repeat(32), jar], [tokenOf(res.body), other]] as const) {
      const r = await postForm(t.app, '/admin/import/confirm', { token }, j);
      assert.equal(r.statusCode, 400, token);
      assert.match(r.body, /已过期或不存在/);
    }
  });
});
