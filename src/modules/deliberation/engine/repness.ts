/**
 * Representative and consensus statements, ported from polismath `repness.clj` and `stats.clj`.
 *
 * For a group and a statement: na/nd agrees/disagrees and ns votes seen in the group;
 * pa = (na + 1) / (ns + 2) (the +1/+2 pseudocounts); pat = z of pa against one half;
 * ra = pa / (same proportion among all placed participants outside the group);
 * rat = two-proportion z of the group against the rest (every count + 1). Same for disagree.
 */
import type { ConsensusStatement, RepresentativeStatement } from './types.js';

/** One-proportion z against 0.5 with Polis's +1 pseudocounts. */
export function propTest(success: number, n: number): number {
  const s = success + 1;
  const m = n + 1;
  return 2 * Math.sqrt(m) * (s / m - 0.5);
}

/** Two-proportion z (group vs rest) with Polis's +1 pseudocounts on all four counts. */
export function twoPropTest(succIn: number, succOut: number, popIn: number, popOut: number): number {
  const s1 = succIn + 1;
  const s2 = succOut + 1;
  const n1 = popIn + 1;
  const n2 = popOut + 1;
  const pi1 = s1 / n1;
  const pi2 = s2 / n2;
  const piHat = (s1 + s2) / (n1 + n2);
  if (piHat === 1) return 0;
  return (pi1 - pi2) / Math.sqrt(piHat * (1 - piHat) * (1 / n1 + 1 / n2));
}

interface Stats {
  tid: number;
  na: number;
  nd: number;
  ns: number;
  pa: number;
  pd: number;
  pat: number;
  pdt: number;
  ra: number;
  rd: number;
  rat: number;
  rdt: number;
}

/**
 * Polis picks the direction with the larger comparative z. The group's "best agree" statement is
 * always reported as agree: it was chosen for what the group agrees with (polismath would label it
 * disagree when rdt > rat, which reads as "4 % of the group disagreed" for a statement they endorse).
 */
function finalise(s: Stats, bestAgree = false): RepresentativeStatement {
  const agree = bestAgree || s.rat > s.rdt;
  return {
    statementId: s.tid,
    direction: agree ? 'agree' : 'disagree',
    nSuccess: agree ? s.na : s.nd,
    nTrials: s.ns,
    pSuccess: agree ? s.pa : s.pd,
    pTest: agree ? s.pat : s.pdt,
    repness: agree ? s.ra : s.rd,
    repnessTest: agree ? s.rat : s.rdt,
    bestAgree,
  };
}

const metric = (r: RepresentativeStatement) => r.repness * r.repnessTest * r.pSuccess * r.pTest;

/**
 * Polis's select-rep-comments for every group. Counts are laid out [group * nStatements + j].
 * Returns up to `perGroup` statements per group: the significant ones (agree or disagree both
 * significant by proportion and by comparison with the rest) ranked by repness × tests × p, with the
 * group's best "agree" statement first, agrees before disagrees; when none is significant, the single
 * best candidate.
 */
export function selectRepresentative(
  statementIds: Int32Array,
  agree: Int32Array,
  disagree: Int32Array,
  seen: Int32Array,
  nGroups: number,
  perGroup: number,
  z: number,
): RepresentativeStatement[][] {
  const n = statementIds.length;
  const out: RepresentativeStatement[][] = [];
  for (let g = 0; g < nGroups; g++) {
    const sufficient: RepresentativeStatement[] = [];
    let best: RepresentativeStatement | null = null;
    let bestAgree: Stats | null = null;
    for (let j = 0; j < n; j++) {
      let ra = 0;
      let rd = 0;
      let rs = 0;
      for (let h = 0; h < nGroups; h++) {
        if (h === g) continue;
        ra += agree[h * n + j]!;
        rd += disagree[h * n + j]!;
        rs += seen[h * n + j]!;
      }
      const na = agree[g * n + j]!;
      const nd = disagree[g * n + j]!;
      const ns = seen[g * n + j]!;
      const pa = (1 + na) / (2 + ns);
      const pd = (1 + nd) / (2 + ns);
      const s: Stats = {
        tid: statementIds[j]!,
        na,
        nd,
        ns,
        pa,
        pd,
        pat: propTest(na, ns),
        pdt: propTest(nd, ns),
        ra: pa / ((1 + ra) / (2 + rs)),
        rd: pd / ((1 + rd) / (2 + rs)),
        rat: twoPropTest(na, ra, ns, rs),
        rdt: twoPropTest(nd, rd, ns, rs),
      };
      if ((s.rat > z && s.pat > z) || (s.rdt > z && s.pdt > z)) sufficient.push(finalise(s));
      if (sufficient.length === 0 && (best === null || Math.max(s.rat, s.rdt) > best.repnessTest)) best = finalise(s);
      if (beatsBestAgree(s, bestAgree, z)) bestAgree = s;
    }
    const head = bestAgree ? finalise(bestAgree, true) : null;
    if (sufficient.length === 0) {
      out.push(head ? [head] : best ? [best] : []);
      continue;
    }
    const ranked = sufficient
      .filter((r) => r.statementId !== head?.statementId)
      .sort((a, b) => metric(b) - metric(a));
    const top = (head ? [head, ...ranked] : ranked).slice(0, perGroup);
    out.push([...top.filter((r) => r.direction === 'agree'), ...top.filter((r) => r.direction === 'disagree')]);
  }
  return out;
}

function beatsBestAgree(s: Stats, best: Stats | null, z: number): boolean {
  if (s.na === 0 && s.nd === 0) return false;
  if (best && best.ra > 1) return s.ra * s.rat * s.pa * s.pat > best.ra * best.rat * best.pa * best.pat;
  if (best) return s.pa * s.pat > best.pa * best.pat;
  return s.pat > z || (s.ra > 1 && s.pa > 0.5);
}

/** Polis's select-consensus-comments over everyone who voted: p > 0.5 and significant, top by p × z. */
export function selectConsensus(
  statementIds: Int32Array,
  agree: Int32Array,
  disagree: Int32Array,
  seen: Int32Array,
  perDirection: number,
  z: number,
): { agree: ConsensusStatement[]; disagree: ConsensusStatement[] } {
  const pick = (succ: Int32Array): ConsensusStatement[] => {
    const list: ConsensusStatement[] = [];
    for (let j = 0; j < statementIds.length; j++) {
      const ns = seen[j]!;
      const p = (1 + succ[j]!) / (2 + ns);
      const t = propTest(succ[j]!, ns);
      if (p > 0.5 && t > z) list.push({ statementId: statementIds[j]!, nSuccess: succ[j]!, nTrials: ns, pSuccess: p, pTest: t });
    }
    return list.sort((a, b) => b.pSuccess * b.pTest - a.pSuccess * a.pTest).slice(0, perDirection);
  };
  return { agree: pick(agree), disagree: pick(disagree) };
}
