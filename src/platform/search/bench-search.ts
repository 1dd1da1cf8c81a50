// Measures search latency on a large generated index: `npx tsx src/platform/search/bench-search.ts [docs]`
// (set DATABASE_URL to measure PostgreSQL). Uses a throwaway SQLite file or PostgreSQL schema.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { loadConfig } from '../../config.js';
import { closeContext, createContext } from '../../context.js';
import { indexDocument, searchDocuments } from './index.js';

const WORDS = ('养老 停车 社区 服务 政协 委员 协商 民生 教育 医疗 交通 环境 农村 乡村 振兴 产业 发展 建议 提案 调研 '
  + '报告 会议 居民 群众 意见 问题 解决 推进 加强 完善 机制 制度 政策 落实 监督 老年人 照料 中心 场地 不足 '
  + '学校 医院 道路 安全 食品 就业 创业 青年 妇女 儿童 文化 旅游 生态 保护 水利 住房 物业 垃圾 分类 治理 '
  + '基层 网格 志愿 活动 培训 学习 履职 联络 工作室 街道 乡镇 村委会 议事会 专门 委员会 经济 科技 创新 数字 '
  + '平台 信息 公开 透明 办理 答复 满意 评价').split(' ');
const LATIN = ['report', 'parking', 'service', 'cppcc', '2025', '2026', 'policy'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}
const rand = rng(42);
// Filler: common characters in random pairs, so the index has a realistic number of
// distinct bigrams; topic words appear in a few per cent of documents each.
const FILLER = Array.from('的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞');
const pick = () => (rand() < 0.15
  ? WORDS[Math.floor(WORDS.length * rand())]!
  : FILLER[Math.floor(FILLER.length * rand() ** 1.5)]! + FILLER[Math.floor(FILLER.length * rand())]!);
const sentence = (n: number) => Array.from({ length: n }, pick).join('') + (rand() < 0.1 ? ` ${LATIN[Math.floor(rand() * LATIN.length)]} ` : '') + '。';

async function main() {
  const count = Number(process.argv[2] ?? 100_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'xs-bench-search-'));
  const schema = process.env.DATABASE_URL ? `bench_${randomBytes(4).toString('hex')}` : undefined;
  const config = loadConfig({ ...process.env, XS_COOKIE_SECRET: 'bench-secret-bench-secret-bench-secret' }, { dataDir, pgSchema: schema, logLevel: 'silent' });
  const ctx = await createContext(config);
  const { db, dialect } = ctx.database;
  try {
    let t0 = performance.now();
    for (let start = 0; start < count; start += 2000) {
      await db.transaction().execute(async (trx) => {
        for (let i = start; i < Math.min(count, start + 2000); i++) {
          const text = Array.from({ length: 4 + Math.floor(rand() * 12) }, () => sentence(3 + Math.floor(rand() * 8))).join('');
          await indexDocument(trx, {
            docType: ['news', 'page', 'member'][i % 3]!, docId: i, title: sentence(3).slice(0, -1), text,
            url: `/x/${i}`, publishedAt: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString(),
          });
        }
      });
    }
    if (dialect === 'postgres') await db.executeQuery({ sql: 'ANALYZE search_docs', parameters: [], query: { kind: 'RawNode' } as never } as never);
    console.log(`${dialect}: indexed ${count} docs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const queries = ['养老', '停车', '养老服务', '评价', '满意', '政协委员', '老', '评', 'parking', '停车 场地', '议事会', '不存在的词'];
    for (const q of queries) {
      const times: number[] = [];
      let r = await searchDocuments(db, dialect, { q, page: 1, pageSize: 20 });
      for (let i = 0; i < 30; i++) {
        t0 = performance.now();
        r = await searchDocuments(db, dialect, { q, page: 1 + (i % 3), pageSize: 20 });
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      console.log(`${q.padEnd(8)} total=${r.total}${r.more ? '+' : ''} p50=${times[15]!.toFixed(1)}ms p99/max=${times.at(-1)!.toFixed(1)}ms`);
    }
    // 50 queries in flight at once, as 50 connections would put them.
    const lat: number[] = [];
    t0 = performance.now();
    await Promise.all(Array.from({ length: 50 }, async (_, w) => {
      for (let i = 0; i < 20; i++) {
        const s = performance.now();
        await searchDocuments(db, dialect, { q: queries[(w + i) % queries.length]!, page: 1, pageSize: 20 });
        lat.push(performance.now() - s);
      }
    }));
    lat.sort((a, b) => a - b);
    const secs = (performance.now() - t0) / 1000;
    console.log(`50 in flight, mixed queries: ${(lat.length / secs).toFixed(0)} q/s p50=${lat[Math.floor(lat.length * 0.5)]!.toFixed(1)}ms p99=${lat[Math.floor(lat.length * 0.99)]!.toFixed(1)}ms`);
  } finally {
    await closeContext(ctx);
    if (schema && config.databaseUrl) {
      const c = new pg.Client({ connectionString: config.databaseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
