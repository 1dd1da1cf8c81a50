import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dropPgSchema } from '../../src/db/database.js';

// The real server process, stopped with SIGTERM while a request is still arriving: the
// request is answered, then the process ends by itself with exit code 0.
describe('server process: SIGTERM', { timeout: 400_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xs-sigterm-'));
  let child: ChildProcess | null = null;
  let schema = '';
  after(async () => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    if (schema && process.env.DATABASE_URL) await dropPgSchema(process.env.DATABASE_URL, schema);
  });

  it('finishes the request in flight, refuses nothing half-way, and exits 0', async () => {
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    schema = process.env.DATABASE_URL ? `sigterm_${port}` : '';
    const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', XS_DATA_DIR: dataDir, LOG_LEVEL: 'warn', XS_PG_SCHEMA: schema };
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
    let out = '';
    proc.stdout?.on('data', (d) => { out += String(d); });
    proc.stderr?.on('data', (d) => { out += String(d); });
    // Wait for liveness, generously: on a loaded machine tsx compiling the server takes a while.
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      const up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    // A form post whose body is still arriving when the signal comes.
    const body = 'username=nobody&password=' + 'x'.repeat(2000);
    const answered = new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/sign-in/password', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
        (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
      req.on('error', reject);
      req.write(body.slice(0, 100));
      setTimeout(() => {
        proc.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(100)), 500);
      }, 200);
    });
    const status = await answered;
    assert.ok(status >= 200 && status < 500, `the request in flight was answered (${status})`);
    assert.equal(await exited, 0, `server output:\n${out}`);
    child = null;
  });
});
