import { isFeature, opinionTokens, pickDisplayTerms, readableWords, type OpinionTokens } from './features.js';

// Suggests where an opinion should go: a multinomial naive Bayes model over the platform's
// search tokens, scored with IDF weights so that words every opinion uses (建议, 希望, 问题)
// barely count and topic words (停车, 电梯, 低保) decide. The score is divided by the total
// evidence so that a long letter is not more certain than a short one for its length alone;
// `evidence` then sets how sharp the confidence is. Counts are plain sums, so learning is
// incremental: a staff correction is one more (heavier) example of the corrected label.
// Labels are free strings: committee keys, body ids, anything the caller routes to.

export interface RouterOptions {
  /** Additive smoothing of term counts. */
  alpha: number;
  /** A title token counts this many times as much as a text token. */
  titleWeight: number;
  /** Weight of the citizen's chosen category (a feature like a word). */
  categoryWeight: number;
  /** Weight of the region name. */
  regionWeight: number;
  /**
   * How many "full-strength words" a document's evidence is worth: the sharpness of the
   * confidence. 4 (with alpha 2) gave the lowest calibration error on held-out demo wording.
   */
  evidence: number;
  /** Weight of an example learned through `correct`. */
  correctionWeight: number;
}

export const DEFAULT_ROUTER_OPTIONS: RouterOptions = {
  alpha: 2, titleWeight: 2, categoryWeight: 1, regionWeight: 0.5, evidence: 4, correctionWeight: 5,
};

export interface RouteInput {
  title: string;
  text: string;
  category?: string | null;
  region?: string | null;
  /** Precomputed `opinionTokens(title, text)`, to skip tokenizing. */
  tokens?: OpinionTokens;
}

export interface RouteSuggestion {
  label: string;
  /** Posterior probability of `label`, in (0, 1]. */
  confidence: number;
  /** The words that weighed most for `label` against the runner-up (at most 5). */
  reasonTerms: string[];
  /** Chinese sentence for staff, e.g. 因为提到：停车、小区、车位. */
  reason: string;
  /** Every label, best first. */
  ranking: { label: string; confidence: number }[];
}

export interface RouterModelJson {
  format: 'xieshang-opinion-router';
  version: 1;
  options: RouterOptions;
  labels: string[];
  /** Weighted examples per label. */
  docs: number[];
  /** Weighted feature mass per label. */
  mass: number[];
  /** Examples seen (unweighted), for IDF. */
  examples: number;
  /** [term, document frequency, labelIndex, count, labelIndex, count, …], sorted by term. */
  terms: (string | number)[][];
}

interface Term { df: number; counts: number[] }

export function describeReason(terms: readonly string[], locale: 'zh' | 'en' = 'zh'): string {
  if (!terms.length) return locale === 'zh' ? '没有明显的关键词，按以往比例推荐' : 'No telling words; suggested by past proportions';
  return locale === 'zh' ? `因为提到：${terms.join('、')}` : `Because it mentions: ${terms.join(', ')}`;
}

export class OpinionRouter {
  readonly options: RouterOptions;
  private readonly labelList: string[] = [];
  private readonly labelIndex = new Map<string, number>();
  private readonly docs: number[] = [];
  private readonly mass: number[] = [];
  private readonly terms = new Map<string, Term>();
  private examples = 0;
  /**
   * Per term, log P(term | label) for every label, as suggest computes it: kept between
   * suggestions (a model is read far more often than it learns), dropped by any learning.
   */
  private logProbs = new Map<Term, Float64Array>();
  private logProbsAlpha = Number.NaN;

  constructor(options: Partial<RouterOptions> = {}) {
    this.options = { ...DEFAULT_ROUTER_OPTIONS, ...options };
  }

  get labels(): readonly string[] {
    return this.labelList;
  }

  get size(): { examples: number; terms: number } {
    return { examples: this.examples, terms: this.terms.size };
  }

  /** Feature → weight (title and text tokens, category, region). */
  features(input: RouteInput): Map<string, number> {
    const o = this.options;
    const tokens = input.tokens ?? opinionTokens(input.title, input.text);
    const f = new Map<string, number>();
    for (const t of tokens.text) if (isFeature(t)) f.set(t, 1);
    for (const t of tokens.title) if (isFeature(t)) f.set(t, (f.get(t) ?? 0) + o.titleWeight);
    if (input.category && o.categoryWeight > 0) f.set(`category:${input.category}`, o.categoryWeight);
    if (input.region && o.regionWeight > 0) f.set(`region:${input.region}`, o.regionWeight);
    return f;
  }

  /** Learns one example; `weight` > 1 makes it count as several. */
  learn(input: RouteInput, label: string, weight = 1): void {
    if (!(weight > 0) || !Number.isFinite(weight)) throw new RangeError('weight must be a positive number');
    this.learnFeatures(this.features(input), label, weight);
  }

  /** A staff member's correction: the corrected label, learned with `correctionWeight`. */
  correct(input: RouteInput, label: string): void {
    this.learn(input, label, this.options.correctionWeight);
  }

  learnFeatures(features: ReadonlyMap<string, number>, label: string, weight = 1): void {
    this.logProbs.clear();
    const li = this.indexOf(label);
    this.examples++;
    this.docs[li]! += weight;
    for (const [t, w] of features) {
      let term = this.terms.get(t);
      if (!term) this.terms.set(t, (term = { df: 0, counts: [] }));
      term.df++;
      term.counts[li] = (term.counts[li] ?? 0) + w * weight;
      this.mass[li]! += w * weight;
    }
  }

  private indexOf(label: string): number {
    let i = this.labelIndex.get(label);
    if (i === undefined) {
      this.logProbs.clear();
      i = this.labelList.length;
      this.labelList.push(label);
      this.labelIndex.set(label, i);
      this.docs.push(0);
      this.mass.push(0);
    }
    return i;
  }

  /** The best label for an opinion, or null before anything was learned. */
  suggest(input: RouteInput, explain = true): RouteSuggestion | null {
    return this.suggestFeatures(this.features(input), explain ? `${input.title}\n${input.text}` : null);
  }

  suggestFeatures(features: ReadonlyMap<string, number>, explainText: string | null = null): RouteSuggestion | null {
    const L = this.labelList.length;
    if (L === 0) return null;
    const { alpha, evidence } = this.options;
    const V = this.terms.size + 1;
    const denom = this.mass.map((m) => Math.log(m + alpha * V));
    if (alpha !== this.logProbsAlpha) {
      this.logProbs.clear();
      this.logProbsAlpha = alpha;
    }
    const logProbsOf = (term: Term): Float64Array => {
      let lp = this.logProbs.get(term);
      if (!lp) {
        lp = new Float64Array(L);
        for (let c = 0; c < L; c++) lp[c] = Math.log((term.counts[c] ?? 0) + alpha) - denom[c]!;
        this.logProbs.set(term, lp);
      }
      return lp;
    };
    const sum = new Float64Array(L);
    let total = 0;
    const used: [string, number, Term][] = [];
    for (const [t, w] of features) {
      const term = this.terms.get(t);
      if (!term) continue; // an unseen word says nothing about any label
      const fw = w * Math.log((this.examples + 1) / (term.df + 1));
      if (fw <= 0) continue;
      total += fw;
      used.push([t, fw, term]);
      const lp = logProbsOf(term);
      for (let c = 0; c < L; c++) sum[c]! += fw * lp[c]!;
    }
    const allDocs = this.docs.reduce((a, b) => a + b, 0);
    const scores = new Float64Array(L);
    for (let c = 0; c < L; c++) {
      const prior = Math.log((this.docs[c]! + 1) / (allDocs + L));
      scores[c] = prior + (total > 0 ? (evidence * sum[c]!) / total : 0);
    }
    const max = Math.max(...scores);
    let z = 0;
    for (let c = 0; c < L; c++) z += Math.exp(scores[c]! - max);
    const ranking = this.labelList
      .map((label, c) => ({ label, confidence: Math.exp(scores[c]! - max) / z, c }))
      .sort((a, b) => b.confidence - a.confidence || a.c - b.c);
    const best = ranking[0]!;
    const runnerUp = ranking[1];
    let reasonTerms: string[] = [];
    if (explainText !== null) {
      // How much each word moved the score from the runner-up (or from the average label) to the winner.
      const contrib = used.map(([t, fw, term]) => {
        const lp = logProbsOf(term);
        const other = runnerUp ? lp[runnerUp.c]! : 0;
        return [t, fw * (lp[best.c]! - other)] as const;
      }).filter(([t, v]) => v > 0 && !t.includes(':')).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      reasonTerms = pickDisplayTerms(contrib.map(([t]) => t), readableWords(explainText), 5);
    }
    return {
      label: best.label,
      confidence: best.confidence,
      reasonTerms,
      reason: describeReason(reasonTerms),
      ranking: ranking.map(({ label, confidence }) => ({ label, confidence })),
    };
  }

  toJSON(): RouterModelJson {
    const terms = [...this.terms.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([t, term]) => {
      const row: (string | number)[] = [t, term.df];
      term.counts.forEach((n, i) => { if (n) row.push(i, n); });
      return row;
    });
    return {
      format: 'xieshang-opinion-router', version: 1, options: { ...this.options },
      labels: [...this.labelList], docs: [...this.docs], mass: [...this.mass], examples: this.examples, terms,
    };
  }

  static fromJSON(input: RouterModelJson | string): OpinionRouter {
    const json = (typeof input === 'string' ? JSON.parse(input) : input) as RouterModelJson;
    if (json?.format !== 'xieshang-opinion-router' || json.version !== 1) throw new Error('not an opinion router model (format/version)');
    const { labels, docs, mass, terms } = json;
    const L = Array.isArray(labels) ? labels.length : -1;
    if (L < 0 || !Array.isArray(docs) || docs.length !== L || !Array.isArray(mass) || mass.length !== L || !Array.isArray(terms)) {
      throw new Error('opinion router model: malformed label arrays');
    }
    const options: Partial<RouterOptions> = {};
    for (const k of Object.keys(DEFAULT_ROUTER_OPTIONS) as (keyof RouterOptions)[]) {
      const v: unknown = json.options?.[k];
      if (v !== undefined) options[k] = num(v);
    }
    const r = new OpinionRouter(options);
    for (let i = 0; i < L; i++) {
      if (typeof labels[i] !== 'string' || r.labelIndex.has(labels[i]!)) throw new Error('opinion router model: bad label');
      r.indexOf(labels[i]!);
      r.docs[i] = num(docs[i]);
      r.mass[i] = num(mass[i]);
    }
    r.examples = num(json.examples);
    for (const row of terms) {
      if (!Array.isArray(row) || typeof row[0] !== 'string' || row.length % 2 !== 0) throw new Error('opinion router model: bad term row');
      const counts: number[] = [];
      for (let k = 2; k < row.length; k += 2) {
        const li = num(row[k]);
        if (!Number.isInteger(li) || li >= L) throw new Error('opinion router model: bad label index');
        counts[li] = num(row[k + 1]);
      }
      r.terms.set(row[0], { df: num(row[1]), counts });
    }
    return r;
  }
}

function num(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error('opinion router model: bad number');
  return v;
}
