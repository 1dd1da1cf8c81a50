/** The full recomputation: votes → matrix → PCA → projection → base clusters → groups → statistics. */
import { performance } from 'node:perf_hooks';
import { baseClustering, groupClustering, silhouette, type Clustering } from './kmeans.js';
import { buildVoteMatrix, matrixDigest, type VoteMatrix } from './matrix.js';
import { powerIterationPca, projectParticipants, statementExtremity } from './pca.js';
import { selectConsensus, selectRepresentative } from './repness.js';
import type { BaseCluster, DeliberationInput, DeliberationParams, DeliberationResult, OpinionGroup, StatementStats } from './types.js';

export const DEFAULT_PARAMS: Readonly<DeliberationParams> = Object.freeze({
  minVotesToPlace: 7,
  minPlaced: 15,
  maxGroups: 5,
  baseClusters: 100,
  baseIterations: 100,
  baseRestarts: 10,
  groupIterations: 100,
  pcaMaxIterations: 500,
  pcaTolerance: 1e-11,
  repnessPerGroup: 5,
  consensusPerDirection: 5,
  zThreshold: 1.2816,
  seed: 1,
  polisModerationScaling: true,
});

function checkParams(p: DeliberationParams): void {
  const ints: Array<Exclude<keyof DeliberationParams, 'polisModerationScaling' | 'pcaTolerance' | 'zThreshold'>> = ['minVotesToPlace', 'minPlaced', 'maxGroups', 'baseClusters', 'baseIterations', 'baseRestarts', 'groupIterations', 'pcaMaxIterations', 'repnessPerGroup', 'consensusPerDirection', 'seed'];
  for (const k of ints) if (!Number.isInteger(p[k]) || p[k] < 0) throw new RangeError(`${k} must be a non-negative integer`);
  if (p.maxGroups < 1 || p.baseClusters < 1) throw new RangeError('maxGroups and baseClusters must be at least 1');
  if (typeof p.polisModerationScaling !== 'boolean') throw new RangeError('polisModerationScaling must be a boolean');
  if (!(p.pcaTolerance >= 0) || !Number.isFinite(p.zThreshold)) throw new RangeError('pcaTolerance and zThreshold must be finite numbers');
}

/**
 * Restarts of the base k-means: up to p.baseRestarts, fewer when there are many placed participants
 * (at most ~5M point-iterations in all). Small conversations gain stability from restarts; large ones
 * are stable anyway and could not afford them.
 */
function baseRestarts(placed: number, p: DeliberationParams): number {
  const perRun = Math.max(1, placed * Math.max(1, p.baseIterations));
  return Math.max(1, Math.min(p.baseRestarts, Math.floor(5_000_000 / perRun)));
}

/**
 * Indexes (into m.participantIds) of the participants placed in groups, ascending. As polismath's
 * in-conv: votes on moderated-out statements count towards the threshold, min(minVotesToPlace,
 * statements voted on); then the most active voters fill up to minPlaced. Someone without a counted
 * vote is never placed.
 */
function choosePlaced(m: VoteMatrix, voteCount: Int32Array, p: DeliberationParams): Int32Array {
  const raw = m.rawVoteCount;
  const threshold = Math.max(1, Math.min(p.minVotesToPlace, m.columnIds.length + m.excludedColumns));
  const chosen = new Uint8Array(voteCount.length);
  let count = 0;
  for (let r = 0; r < voteCount.length; r++) if (voteCount[r]! > 0 && raw[r]! >= threshold) (chosen[r] = 1), count++;
  if (count < p.minPlaced) {
    const rest: number[] = [];
    for (let r = 0; r < voteCount.length; r++) if (!chosen[r] && voteCount[r]! > 0) rest.push(r);
    rest.sort((a, b) => raw[b]! - raw[a]! || a - b);
    for (const r of rest.slice(0, p.minPlaced - count)) chosen[r] = 1;
  }
  const out: number[] = [];
  for (let r = 0; r < chosen.length; r++) if (chosen[r]) out.push(r);
  return Int32Array.from(out);
}

export function computeOpinionGroups(input: DeliberationInput, params: Partial<DeliberationParams> = {}): DeliberationResult {
  const p: DeliberationParams = { ...DEFAULT_PARAMS, ...params };
  checkParams(p);
  const timings: Record<string, number> = {};
  const cpuTimings: Record<string, number> = {};
  let t = performance.now();
  let c = process.cpuUsage();
  const lap = (name: string) => {
    const now = performance.now();
    const cpu = process.cpuUsage();
    timings[name] = now - t;
    cpuTimings[name] = (cpu.user + cpu.system - c.user - c.system) / 1000;
    t = now;
    c = cpu;
  };

  const m = buildVoteMatrix(input);
  lap('matrix');
  const inputDigest = matrixDigest(m);
  lap('digest');
  const pca = powerIterationPca(m, p.pcaMaxIterations, p.pcaTolerance);
  lap('pca');
  const extra = p.polisModerationScaling ? m.excludedColumns : 0;
  const proj = projectParticipants(m, pca, extra);
  lap('projection');

  const placed = choosePlaced(m, proj.voteCount, p);
  const px = Float64Array.from(placed, (r) => proj.x[r]!);
  const py = Float64Array.from(placed, (r) => proj.y[r]!);
  const base = placed.length > 0 ? baseClustering(px, py, p.baseClusters, p.baseIterations, p.seed, baseRestarts(placed.length, p)) : null;
  lap('baseClusters');

  // Base clusters in canonical order: by smallest member (placed is ascending by participant id).
  const nBase = base?.k ?? 0;
  const baseOrder = new Int32Array(nBase).fill(-1);
  let next = 0;
  if (base) for (let i = 0; i < placed.length; i++) if (baseOrder[base.assign[i]!] === -1) baseOrder[base.assign[i]!] = next++;
  const bx = new Float64Array(nBase);
  const by = new Float64Array(nBase);
  const bw = new Float64Array(nBase);
  if (base) {
    for (let c = 0; c < nBase; c++) {
      bx[baseOrder[c]!] = base.cx[c]!;
      by[baseOrder[c]!] = base.cy[c]!;
      bw[baseOrder[c]!] = base.weight[c]!;
    }
  }

  const silhouetteByK: DeliberationResult['silhouetteByK'] = [];
  let chosen: Clustering | null = null;
  let chosenSil = 0;
  const kMax = Math.min(p.maxGroups, 2 + Math.floor(nBase / 12));
  if (nBase >= 2) {
    for (let k = 2; k <= kMax; k++) {
      const c = groupClustering(bx, by, bw, k, p.groupIterations, p.seed);
      const s = c.k >= 2 ? silhouette(bx, by, c.assign, c.k) : 0;
      silhouetteByK.push({ k, silhouette: s, groups: c.k });
      if (chosen === null || s > chosenSil) {
        chosen = c;
        chosenSil = s;
      }
    }
  }
  if (chosen === null && nBase >= 1) {
    chosen = { assign: new Int32Array(nBase), cx: new Float64Array(1), cy: new Float64Array(1), weight: Float64Array.of(placed.length), k: 1 };
    chosenSil = 0;
  }
  lap('groups');

  // Participants per raw group, then canonical group order: size desc, then smallest member id.
  const rawK = chosen?.k ?? 0;
  const rawMembers: number[][] = Array.from({ length: rawK }, () => []);
  const baseGroupRaw = new Int32Array(nBase);
  for (let b = 0; b < nBase; b++) baseGroupRaw[b] = chosen!.assign[b]!;
  for (let i = 0; i < placed.length; i++) rawMembers[baseGroupRaw[baseOrder[base!.assign[i]!]!]!]!.push(placed[i]!);
  const order = rawMembers.map((_, g) => g).filter((g) => rawMembers[g]!.length > 0);
  order.sort((a, b) => rawMembers[b]!.length - rawMembers[a]!.length || rawMembers[a]![0]! - rawMembers[b]![0]!);
  const rawToGroup = new Int32Array(rawK).fill(-1);
  order.forEach((g, i) => (rawToGroup[g] = i));

  const nRows = m.participantIds.length;
  const groupOfRow = new Int32Array(nRows).fill(-1);
  const groups: OpinionGroup[] = order.map((g, id) => {
    const rows = rawMembers[g]!;
    let sx = 0;
    let sy = 0;
    for (const r of rows) {
      groupOfRow[r] = id;
      sx += proj.x[r]!;
      sy += proj.y[r]!;
    }
    return { id, memberIds: Int32Array.from(rows, (r) => m.participantIds[r]!), centre: [sx / rows.length, sy / rows.length] };
  });
  const baseMembers: number[][] = Array.from({ length: nBase }, () => []);
  for (let i = 0; i < placed.length; i++) baseMembers[baseOrder[base!.assign[i]!]!]!.push(m.participantIds[placed[i]!]!);
  const baseClusters: BaseCluster[] = baseMembers.map((ids, b) => ({
    id: b,
    groupId: rawToGroup[baseGroupRaw[b]!]!,
    memberIds: Int32Array.from(ids),
    centre: [bx[b]!, by[b]!],
  }));
  const groupByParticipant = new Map<number, number>();
  for (let r = 0; r < nRows; r++) if (groupOfRow[r]! >= 0) groupByParticipant.set(m.participantIds[r]!, groupOfRow[r]!);
  lap('assemble');

  const cols = columnCounts(m, groupOfRow, groups.length);
  const statements = statementStatistics(m, cols, groups.length, statementExtremity(pca, extra));
  const repness = selectRepresentative(m.columnIds, cols.gA, cols.gD, cols.gS, groups.length, p.repnessPerGroup, p.zThreshold);
  const consensus = selectConsensus(m.columnIds, cols.a, cols.d, cols.s, p.consensusPerDirection, p.zThreshold);
  lap('statistics');

  let agree = 0;
  let disagree = 0;
  for (let k = 0; k < m.val.length; k++) {
    if (m.val[k] === 1) agree++;
    else if (m.val[k] === -1) disagree++;
  }
  return {
    inputDigest,
    params: p,
    counts: {
      participants: nRows,
      placed: groupByParticipant.size,
      statements: m.statementIds.length,
      statementsInMath: m.columnIds.length,
      statementsExcluded: m.excludedIds.length,
      votes: m.val.length,
      agree,
      disagree,
      pass: m.val.length - agree - disagree,
      duplicatesDropped: m.duplicatesDropped,
      votesOnExcluded: m.votesOnExcluded,
    },
    axes: { statementIds: m.columnIds, centre: pca.centre, pc1: pca.pc1, pc2: pca.pc2, eigenvalues: pca.eigenvalues, iterations: pca.iterations, converged: pca.converged },
    participants: { ids: m.participantIds, x: proj.x, y: proj.y, groupId: groupOfRow, voteCount: proj.voteCount },
    groupByParticipant,
    groups,
    baseClusters,
    k: groups.length,
    silhouette: groups.length >= 2 ? chosenSil : 0,
    silhouetteByK,
    repness,
    consensus,
    statements,
    excludedStatementIds: m.excludedIds,
    timings,
    cpuTimings,
  };
}

/** Agree/disagree/seen per math column, overall (every voter) and per group (placed members). */
function columnCounts(m: VoteMatrix, groupOfRow: Int32Array, nGroups: number) {
  const n = m.columnIds.length;
  const a = new Int32Array(n);
  const d = new Int32Array(n);
  const s = new Int32Array(n);
  const gA = new Int32Array(nGroups * n);
  const gD = new Int32Array(nGroups * n);
  const gS = new Int32Array(nGroups * n);
  for (let r = 0; r < m.participantIds.length; r++) {
    const g = groupOfRow[r]!;
    for (let k = m.rowPtr[r]!; k < m.rowPtr[r + 1]!; k++) {
      const j = m.col[k]!;
      const v = m.val[k]!;
      s[j]!++;
      if (v === 1) a[j]!++;
      else if (v === -1) d[j]!++;
      if (g >= 0) {
        gS[g * n + j]!++;
        if (v === 1) gA[g * n + j]!++;
        else if (v === -1) gD[g * n + j]!++;
      }
    }
  }
  return { a, d, s, gA, gD, gS };
}

function statementStatistics(m: VoteMatrix, cols: ReturnType<typeof columnCounts>, nGroups: number, extremityByCol: Float64Array): StatementStats {
  const ids = m.statementIds;
  const n = ids.length;
  const nc = m.columnIds.length;
  const st: StatementStats = {
    statementIds: ids,
    agree: new Int32Array(n),
    disagree: new Int32Array(n),
    pass: new Int32Array(n),
    groupAgree: new Int32Array(nGroups * n),
    groupDisagree: new Int32Array(nGroups * n),
    groupSeen: new Int32Array(nGroups * n),
    groupInformedConsensus: new Float64Array(n),
    extremity: new Float64Array(n),
    inMath: new Uint8Array(n),
    meta: new Uint8Array(n),
  };
  let c = 0;
  let mi = 0;
  for (let j = 0; j < n; j++) {
    const id = ids[j]!;
    while (mi < m.metaIds.length && m.metaIds[mi]! < id) mi++;
    if (mi < m.metaIds.length && m.metaIds[mi] === id) st.meta[j] = 1;
    let gic = 1;
    const inMath = c < nc && m.columnIds[c] === id;
    for (let g = 0; g < nGroups; g++) {
      const A = inMath ? cols.gA[g * nc + c]! : 0;
      const S = inMath ? cols.gS[g * nc + c]! : 0;
      if (inMath) {
        st.groupAgree[g * n + j] = A;
        st.groupDisagree[g * n + j] = cols.gD[g * nc + c]!;
        st.groupSeen[g * n + j] = S;
      }
      gic *= (A + 1) / (S + 2);
    }
    st.groupInformedConsensus[j] = gic;
    if (inMath) {
      st.inMath[j] = 1;
      st.agree[j] = cols.a[c]!;
      st.disagree[j] = cols.d[c]!;
      st.pass[j] = cols.s[c]! - cols.a[c]! - cols.d[c]!;
      st.extremity[j] = extremityByCol[c]!;
      c++;
    }
  }
  return st;
}
