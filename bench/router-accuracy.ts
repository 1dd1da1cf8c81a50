// How well the routing suggester routes: `npx tsx bench/router-accuracy.ts [count] [seed]`.
//
// 1. Held-out split: the demo corpus, 80% to train, 20% held out — accuracy, per-label
//    precision/recall, and how many suggestions clear the production gate
//    (router-store `confidentEnough`) and how often those are right.
// 2. Unseen wording: trained on opinions written with some of each topic's sentence
//    templates, tested on opinions written only with the others (a harder, more honest test).
// 3. Staff corrections: starting from each trained model, a stream of new opinions is routed
//    by staff the way router-store learns (a confirmation counts once, a correction counts
//    `correctionWeight` times); accuracy is measured on a separate evaluation set after N.
// As wired in the service, the model sees title, text and category (not the region).

import { type DemoOpinion, ROUTE_LABELS, demoOpinions } from '../src/modules/opinions/analysis/demo-corpus.js';
import { type LabelledExample, evaluateRouter, shuffle, trainAndTest } from '../src/modules/opinions/analysis/evaluate.js';
import { OpinionRouter } from '../src/modules/opinions/analysis/router.js';
import { confidentEnough } from '../src/modules/opinions/router-store.js';

const count = Number(process.argv[2] ?? 10_000);
const seed = Number(process.argv[3] ?? 7);
const STEPS = [0, 25, 50, 100, 200, 400, 800];

const asExample = (d: DemoOpinion): LabelledExample => ({ title: d.title, text: d.text, category: d.category, label: d.label, ambiguous: d.ambiguous });
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function gate(router: OpinionRouter, test: readonly LabelledExample[]): { share: number; accuracy: number } {
  let made = 0;
  let right = 0;
  for (const ex of test) {
    const s = router.suggest(ex);
    if (!s || !confidentEnough(s)) continue;
    made++;
    if (s.label === ex.label) right++;
  }
  return { share: made / test.length, accuracy: made ? right / made : 0 };
}

function accuracy(router: OpinionRouter, test: readonly LabelledExample[]): number {
  let right = 0;
  for (const ex of test) if (router.suggest(ex, false)?.label === ex.label) right++;
  return right / test.length;
}

/** Feeds staff decisions the way router-store does, and measures after each step. */
function corrections(base: OpinionRouter, stream: readonly LabelledExample[], evalSet: readonly LabelledExample[]): { n: number; corrected: number; accuracy: number }[] {
  const router = OpinionRouter.fromJSON(base.toJSON());
  const out: { n: number; corrected: number; accuracy: number }[] = [];
  let fed = 0;
  let corrected = 0;
  for (const n of STEPS) {
    if (n > stream.length) break;
    for (; fed < n; fed++) {
      const ex = stream[fed]!;
      if (router.suggest(ex, false)?.label === ex.label) router.learn(ex, ex.label);
      else { router.correct(ex, ex.label); corrected++; }
    }
    out.push({ n, corrected, accuracy: accuracy(router, evalSet) });
  }
  return out;
}

function report(title: string, ev: ReturnType<typeof trainAndTest>, test: readonly LabelledExample[]): void {
  console.log(`\n## ${title}`);
  console.log(`train ${ev.train}, test ${ev.test}: accuracy ${pct(ev.accuracy)}${ev.clearAccuracy !== null ? `, on unambiguous ones ${pct(ev.clearAccuracy)}` : ''}, macro-F1 ${ev.macroF1.toFixed(3)}, calibration error ${ev.calibrationError.toFixed(3)}`);
  const g = gate(ev.router, test);
  console.log(`production gate (confidence ≥ 0.5 and a telling word): suggests for ${pct(g.share)}, right ${pct(g.accuracy)} of those`);
  for (const b of ev.byConfidence) console.log(`  confidence ≥ ${b.min}: ${pct(b.share)} of opinions, accuracy ${pct(b.accuracy)}`);
  console.log('  label        precision  recall   F1     support');
  for (const p of ev.perLabel) {
    const name = `${p.label} (${ROUTE_LABELS[p.label as keyof typeof ROUTE_LABELS] ?? p.label})`;
    console.log(`  ${p.label.padEnd(10)} ${pct(p.precision).padStart(9)} ${pct(p.recall).padStart(8)}  ${p.f1.toFixed(3)}  ${String(p.support).padStart(5)}   ${name}`);
  }
}

const started = Date.now();
console.log(`# Routing suggester accuracy — demo corpus, ${count} opinions, seed ${seed}`);

// 1. In-distribution held-out split.
const all = demoOpinions(count, seed).map(asExample);
const split = evaluateRouter(all, { testFraction: 0.2, seed });
const order = shuffle(all.length, seed);
const nTest = Math.round(all.length * 0.2);
const heldOut = order.slice(0, nTest).map((i) => all[i]!);
report('Held-out 20% (same templates as training)', split, heldOut);

// 2. Unseen wording.
const seen = demoOpinions(Math.round(count * 0.8), seed + 1, 'seen').map(asExample);
const unseen = demoOpinions(Math.round(count * 0.2), seed + 2, 'unseen').map(asExample);
const novel = trainAndTest(seen, unseen);
report('Unseen wording (trained on other sentence templates)', novel, unseen);

// 3. Staff corrections.
console.log('\n## After N staff routing decisions (confirmations count once, corrections ×5)');
const half = Math.floor(heldOut.length / 2);
const streamA = heldOut.slice(0, half);
const evalA = heldOut.slice(half);
const stream = demoOpinions(Math.max(...STEPS), seed + 3, 'unseen').map(asExample);
const a = corrections(split.router, streamA, evalA);
const b = corrections(novel.router, stream, unseen);
console.log('  N     held-out (eval half)        unseen wording');
for (let k = 0; k < Math.max(a.length, b.length); k++) {
  const x = a[k];
  const y = b[k];
  const n = x?.n ?? y?.n ?? 0;
  const cell = (r: typeof x) => (r ? `${pct(r.accuracy).padStart(6)} (${String(r.corrected).padStart(3)} corrected)` : ''.padStart(22));
  console.log(`  ${String(n).padStart(4)}  ${cell(x)}     ${cell(y)}`);
}

// Speed of one suggestion (with its explanation), as the service asks for it.
const t0 = performance.now();
for (const ex of heldOut.slice(0, 500)) split.router.suggest(ex);
console.log(`\nsuggest: ${((performance.now() - t0) * 1000 / Math.min(500, heldOut.length)).toFixed(0)} µs per opinion; model ${split.router.size.terms} terms, ${(JSON.stringify(split.router.toJSON()).length / 1024).toFixed(0)} KB as JSON`);
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
