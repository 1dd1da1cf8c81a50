import {
  type ConsensusStatement, DEFAULT_PARAMS, type DeliberationCounts, type DeliberationResult, type MapLocale, type OpinionMapSummary,
  type RepresentativeStatement, describeOpinionMap, renderOpinionMapSvg,
} from './engine/index.js';

// What a recomputation stores: only what the pages read (groups, representative and consensus
// statements, the per-statement counts behind priorities, the opinion map in each language with
// its text alternative), not the 33,000 projected points. The participant → group map is kept
// apart (exports read it, pages never do).

export const MAP_LOCALES: readonly MapLocale[] = ['zh-CN', 'en'];
/** Representative statements per group on the results page (Polis shows up to 5). */
const STATEMENTS_PER_GROUP = 5;

export interface StoredStatements {
  ids: number[];
  agree: number[];
  disagree: number[];
  pass: number[];
  /** group g, statement j at [g * ids.length + j] */
  groupAgree: number[];
  groupDisagree: number[];
  groupSeen: number[];
  gic: number[];
  extremity: number[];
  inMath: number[];
  meta: number[];
}

export interface StoredResult {
  format: 1;
  maxGroups: number;
  counts: DeliberationCounts;
  k: number;
  silhouette: number;
  groups: Array<{ id: number; size: number; centre: [number, number] }>;
  repness: RepresentativeStatement[][];
  consensus: { agree: ConsensusStatement[]; disagree: ConsensusStatement[] };
  statements: StoredStatements;
  excluded: number[];
  maps: Record<MapLocale, { svg: string; summary: OpinionMapSummary }>;
  /** Milliseconds: reading the votes, and the math. */
  timings: { load: number; math: number };
}

export interface ParticipantGroups { ids: number[]; groups: number[] }

/**
 * The participant → group map as stored (`deliberation_results.participant_groups`, read by the
 * Polis export and import): participant ids ascending, written as runs of consecutive ids
 * `[first, count, first, count, …]` (ids are handed out in sequence, so a conversation's are
 * mostly one run), and the groups as one digit per participant (at most MAX_GROUPS_LIMIT = 9).
 * At 33,000 participants that is about 33 kB instead of 268 kB of JSON id and group lists, so
 * storing a result writes a third as much. Maps stored before (`{ ids, groups }`) are still read.
 */
export function encodeParticipantGroups(g: ParticipantGroups): string {
  const order = g.ids.map((_, i) => i).sort((a, b) => g.ids[a]! - g.ids[b]!);
  const runs: number[] = [];
  let digits = '';
  for (const i of order) {
    const id = g.ids[i]!;
    const group = g.groups[i]!;
    if (!(Number.isInteger(group) && group >= 0 && group <= 9)) throw new RangeError(`group ${group} is not one digit`);
    const n = runs.length;
    if (n && runs[n - 2]! + runs[n - 1]! === id) runs[n - 1]!++;
    else runs.push(id, 1);
    digits += group;
  }
  return JSON.stringify({ format: 2, runs, groups: digits });
}

export function decodeParticipantGroups(text: string): ParticipantGroups {
  const v = JSON.parse(text) as ParticipantGroups | { format: 2; runs: number[]; groups: string };
  if (!('format' in v)) return v;
  const ids: number[] = [];
  for (let r = 0; r < v.runs.length; r += 2) for (let k = 0; k < v.runs[r + 1]!; k++) ids.push(v.runs[r]! + k);
  return { ids, groups: Array.from(v.groups, Number) };
}

const arr = (a: ArrayLike<number>): number[] => Array.from(a);

/** The root <svg> without its fixed size: with its viewBox it then fits the column on a phone. */
const fluid = (svg: string): string => svg.replace(/^<svg([^>]*?) width="\d+" height="\d+"/, '<svg$1');

/** How much of a stored result's JSON `storedMaxGroups` needs (format and maxGroups come first). */
export const STORED_HEAD_CHARS = 64;

/**
 * The number of groups a stored result was computed with, from the head of its JSON (`toStored`
 * writes `format` then `maxGroups` first), so a run need not read and parse the whole result
 * (hundreds of kB for a big conversation) for that one number. Null if not there: the run then
 * computes instead of reusing.
 */
export function storedMaxGroups(head: string): number | null {
  const m = /^\{"format":1,"maxGroups":(\d+)[,}]/.exec(head);
  return m ? Number(m[1]) : null;
}

export function toStored(result: DeliberationResult, statementText: (id: number) => string | undefined, timings: StoredResult['timings']): { data: StoredResult; groups: ParticipantGroups } {
  const st = result.statements;
  const maps = {} as StoredResult['maps'];
  for (const locale of MAP_LOCALES) {
    const opts = { locale, statementText, statementsPerGroup: STATEMENTS_PER_GROUP, idPrefix: 'om' };
    maps[locale] = { svg: fluid(renderOpinionMapSvg(result, opts)), summary: describeOpinionMap(result, opts) };
  }
  // `format` and `maxGroups` stay first: storedMaxGroups reads them from the head.
  const data: StoredResult = {
    format: 1,
    maxGroups: result.params.maxGroups,
    counts: result.counts,
    k: result.k,
    silhouette: result.silhouette,
    groups: result.groups.map((g) => ({ id: g.id, size: g.memberIds.length, centre: g.centre })),
    repness: result.repness,
    consensus: result.consensus,
    statements: {
      ids: arr(st.statementIds), agree: arr(st.agree), disagree: arr(st.disagree), pass: arr(st.pass),
      groupAgree: arr(st.groupAgree), groupDisagree: arr(st.groupDisagree), groupSeen: arr(st.groupSeen),
      gic: arr(st.groupInformedConsensus), extremity: arr(st.extremity), inMath: arr(st.inMath), meta: arr(st.meta),
    },
    excluded: arr(result.excludedStatementIds),
    maps,
    timings,
  };
  const ids: number[] = [];
  const groups: number[] = [];
  const P = result.participants;
  for (let r = 0; r < P.ids.length; r++) {
    if (P.groupId[r]! >= 0) {
      ids.push(P.ids[r]!);
      groups.push(P.groupId[r]!);
    }
  }
  return { data, groups: { ids, groups } };
}

/**
 * The stored result as the engine's result type, for `nextStatement` (priorities read the
 * per-statement counts, extremity, the number of groups and the excluded statements). Groups
 * have no members and there are no participants here: not for the map functions.
 */
export function priorityResult(s: StoredResult): DeliberationResult {
  const st = s.statements;
  return {
    inputDigest: '',
    params: { ...DEFAULT_PARAMS, maxGroups: s.maxGroups },
    counts: s.counts,
    axes: { statementIds: new Int32Array(0), centre: new Float64Array(0), pc1: new Float64Array(0), pc2: new Float64Array(0), eigenvalues: [0, 0], iterations: 0, converged: true },
    participants: { ids: new Int32Array(0), x: new Float64Array(0), y: new Float64Array(0), groupId: new Int32Array(0), voteCount: new Int32Array(0) },
    groupByParticipant: new Map(),
    groups: s.groups.map((g) => ({ id: g.id, memberIds: new Int32Array(0), centre: g.centre })),
    baseClusters: [],
    k: s.k,
    silhouette: s.silhouette,
    silhouetteByK: [],
    repness: s.repness,
    consensus: s.consensus,
    statements: {
      statementIds: Int32Array.from(st.ids), agree: Int32Array.from(st.agree), disagree: Int32Array.from(st.disagree), pass: Int32Array.from(st.pass),
      groupAgree: Int32Array.from(st.groupAgree), groupDisagree: Int32Array.from(st.groupDisagree), groupSeen: Int32Array.from(st.groupSeen),
      groupInformedConsensus: Float64Array.from(st.gic), extremity: Float64Array.from(st.extremity), inMath: Uint8Array.from(st.inMath), meta: Uint8Array.from(st.meta),
    },
    excludedStatementIds: Int32Array.from(s.excluded),
    timings: {},
    cpuTimings: {},
  };
}
