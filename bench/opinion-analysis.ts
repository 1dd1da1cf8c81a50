import { loadavg } from 'node:os';
import { demoOpinions, generateOpinions, type DemoOpinion } from '../src/modules/opinions/analysis/demo-corpus.js';
import { clusteringScores, evaluateRouter, trainAndTest, type LabelledExample } from '../src/modules/opinions/analysis/evaluate.js';
import { clusterTokens, opinionTokens } from '../src/modules/opinions/analysis/features.js';
import { findHotspots, type HotspotOpinion } from '../src/modules/opinions/analysis/hotspots.js';
import { OpinionRouter } from '../src/modules/opinions/analysis/router.js';
import { encodeTexts } from '../src/modules/opinions/analysis/vectors.js';

// npx tsx bench/opinion-analysis.ts — citizen-opinion analysis on demo data, one core:
// generating the corpus, hotspot clustering of 40,000 opinions (end to end from the texts, as
// the hotspot job runs it, and with tokens computed beforehand), router training, prediction
// and held-out accuracy. Prints JSON. Tokenizing is timed three ways: the router's search
// tokens (ICU, `opinionTokens`), the clustering tokens as strings (`clusterTokens`), and
// straight to token ids (`encodeTexts`, what findHotspots does); clustering quality is also
// given for the ICU tokens, for comparison.
// Times are wall-clock milliseconds (best of several runs where noted) with the process's
// CPU time beside them; the load average shows whether the machine was busy.
// Env: OA_HOTSPOTS (40000), OA_ROUTER (20000), OA_CORPUS (1000000), OA_RUNS (3).

const num = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const HOTSPOTS = num('OA_HOTSPOTS', 40_000);
const ROUTER = num('OA_ROUTER', 20_000);
const CORPUS = num('OA_CORPUS', 1_000_000);
const RUNS = num('OA_RUNS', 3);

function timed<T>(f: () => T): { value: T; ms: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const c = process.cpuUsage(c0);
  return { value, ms: Math.round(performance.now() - t0), cpuMs: Math.round((c.user + c.system) / 1000) };
}

function best<T>(runs: number, f: () => T): { value: T; ms: number; cpuMs: number; allMs: number[] } {
  const all = Array.from({ length: runs }, () => timed(f));
  const top = all.reduce((a, b) => (b.ms < a.ms ? b : a));
  return { ...top, allMs: all.map((r) => r.ms) };
}

const asExample = (o: DemoOpinion): LabelledExample => ({
  title: o.title, text: o.text, category: o.category, region: o.regionName ?? null, label: o.label,
  ambiguous: o.ambiguous, tokens: opinionTokens(o.title, o.text),
});

const loadBefore = loadavg()[0];

const corpus = timed(() => {
  let chars = 0;
  for (const o of generateOpinions(CORPUS, 1)) chars += o.title.length + o.text.length;
  return chars / CORPUS;
});

// Hotspots: 40,000 opinions over 30 days.
const demo = demoOpinions(HOTSPOTS, 5);
const start = Date.UTC(2025, 2, 1);
const plain: HotspotOpinion[] = demo.map((o, i) => ({
  id: i + 1, title: o.title, text: o.text, regionId: o.regionName ?? null,
  createdAt: new Date(start + Math.floor((i / HOTSPOTS) * 30 * 86_400_000)).toISOString(),
}));
const endToEnd = timed(() => findHotspots(plain)); // first: a cold run, as in a fresh job process
const encoding = best(RUNS, () => encodeTexts(plain).ids.length);
const tokenizing = timed(() => plain.map((o) => ({ ...o, tokens: clusterTokens(o.title, o.text) })));
const withTokens = tokenizing.value;
const clustered = best(RUNS, () => findHotspots(withTokens));
const scores = clusteringScores(Array.from(clustered.value.assignment), demo.map((o) => o.topicKey));
const icuTokenizing = timed(() => plain.map((o) => ({ ...o, tokens: opinionTokens(o.title, o.text) })));
const icuScores = clusteringScores(Array.from(findHotspots(icuTokenizing.value).assignment), demo.map((o) => o.topicKey));

// Router: 20,000 opinions, 80/20 split; and wording never seen in training.
const examples = demoOpinions(ROUTER, 42).map(asExample);
const evaluation = timed(() => evaluateRouter(examples, { testFraction: 0.2, seed: 1 }));
const ev = evaluation.value;
const train = examples.slice(0, Math.round(ROUTER * 0.8));
const training = best(RUNS, () => { const r = new OpinionRouter(); for (const e of train) r.learn(e, e.label); return r; });
const trainingRaw = timed(() => { const r = new OpinionRouter(); for (const e of train.slice(0, 4000)) r.learn({ ...e, tokens: undefined }, e.label); return r; });
const test = examples.slice(train.length);
const predict = best(RUNS, () => test.map((e) => ev.router.suggest(e, false)!.label));
const explain = timed(() => test.map((e) => ev.router.suggest(e, true)!.reasonTerms.length));
const json = timed(() => JSON.stringify(ev.router.toJSON()));
const parsed = timed(() => OpinionRouter.fromJSON(json.value));
const unseen = trainAndTest(
  demoOpinions(Math.round(ROUTER * 0.8), 43, 'seen').map(asExample),
  demoOpinions(Math.round(ROUTER * 0.2), 44, 'unseen').map(asExample),
);

const perSecond = (n: number, ms: number) => Math.round((n / Math.max(ms, 1)) * 1000);
const r3 = (x: number) => Math.round(x * 1000) / 1000;

console.log(JSON.stringify({
  node: process.version,
  loadavg1m: { before: r3(loadBefore ?? 0), after: r3(loadavg()[0] ?? 0) },
  corpus: { opinions: CORPUS, ms: corpus.ms, perSecond: perSecond(CORPUS, corpus.ms), avgChars: Math.round(corpus.value) },
  tokenize: {
    opinions: HOTSPOTS,
    toIds: { ms: encoding.ms, cpuMs: encoding.cpuMs, runsMs: encoding.allMs, tokens: encoding.value },
    clusterTokens: { ms: tokenizing.ms, cpuMs: tokenizing.cpuMs },
    icuSearchTokens: { ms: icuTokenizing.ms, cpuMs: icuTokenizing.cpuMs },
  },
  hotspots: {
    opinions: HOTSPOTS,
    endToEndMs: endToEnd.ms, endToEndCpuMs: endToEnd.cpuMs,
    withTokensMs: clustered.ms, withTokensCpuMs: clustered.cpuMs, runsMs: clustered.allMs,
    groups: clustered.value.groups.length, unclustered: clustered.value.unclustered,
    largest: clustered.value.groups.slice(0, 5).map((g) => ({ size: g.size, terms: g.labelTerms.join('/'), key: g.key })),
    purity: r3(scores.purity), ari: r3(scores.ari), completeness: r3(scores.completeness), coverage: r3(scores.coverage),
    mixedClusters: scores.mixedClusters,
    withIcuTokens: { purity: r3(icuScores.purity), ari: r3(icuScores.ari), completeness: r3(icuScores.completeness), coverage: r3(icuScores.coverage) },
  },
  router: {
    examples: ROUTER, train: ev.train, test: ev.test,
    accuracy: r3(ev.accuracy), clearAccuracy: ev.clearAccuracy === null ? null : r3(ev.clearAccuracy), macroF1: r3(ev.macroF1),
    calibrationError: r3(ev.calibrationError),
    byConfidence: ev.byConfidence.map((b) => ({ min: b.min, share: r3(b.share), accuracy: r3(b.accuracy) })),
    perLabel: ev.perLabel.map((p) => ({ label: p.label, precision: r3(p.precision), recall: r3(p.recall), support: p.support })),
    unseenWording: { train: unseen.train, test: unseen.test, accuracy: r3(unseen.accuracy), clearAccuracy: unseen.clearAccuracy === null ? null : r3(unseen.clearAccuracy), calibrationError: r3(unseen.calibrationError) },
    trainPerSecond: perSecond(train.length, training.ms),
    trainWithTokenizingPerSecond: perSecond(4000, trainingRaw.ms),
    predictPerSecond: perSecond(test.length, predict.ms),
    predictExplainedPerSecond: perSecond(test.length, explain.ms),
    model: { terms: ev.router.size.terms, jsonBytes: Buffer.byteLength(json.value), serialiseMs: json.ms, parseMs: parsed.ms },
  },
}, null, 2));
