/** Input, parameter and result types of the deliberation math engine (see index.ts for the overview). */

/** Votes as parallel typed arrays: vote i is (participantIds[i], statementIds[i], values[i]). */
export interface VoteColumns {
  participantIds: Int32Array;
  statementIds: Int32Array;
  /** 1 agree, -1 disagree, 0 pass. */
  values: Int8Array;
  /**
   * Optional vote times (any monotone unit, e.g. epoch ms). When one participant voted more than once
   * on a statement, the latest vote counts; equal times fall back to the later position. Without
   * timestamps the later position counts. Pass one vote per pair when you can.
   */
  timestamps?: Float64Array;
}

export type VoteValue = -1 | 0 | 1;

/** Convenience form of one vote. */
export interface VoteRecord {
  participantId: number;
  statementId: number;
  value: VoteValue;
  timestamp?: number;
}

export interface DeliberationInput {
  votes: VoteColumns | readonly VoteRecord[];
  /**
   * Every statement currently open for voting, voted on or not. Statements without votes take no part
   * in the PCA but get priorities (new statements are boosted) and zero counts. Optional.
   */
  statementIds?: ArrayLike<number>;
  /** Statements moderated out (Polis `moderated = -1`): their votes are ignored by all of the math. */
  excludedStatementIds?: ArrayLike<number>;
  /** Polis "meta" statements (about the participant, not an opinion): fixed high priority. */
  metaStatementIds?: ArrayLike<number>;
}

export interface DeliberationParams {
  /** A participant is placed in a group when they voted on at least min(this, statements in the math). Polis: 7. */
  minVotesToPlace: number;
  /** If fewer participants qualify, the most active voters are added up to this many (Polis: 15). 0 disables. */
  minPlaced: number;
  /** Largest number of opinion groups tried (k runs from 2 to this, also capped at 2 + baseClusters/12). Polis: 5. */
  maxGroups: number;
  /** Number of base clusters placed participants are first grouped into (Polis: 100). */
  baseClusters: number;
  /** Lloyd iterations for base clusters (Polis: 100). */
  baseIterations: number;
  /**
   * Independent k-means++ starts for the base clusters, best (lowest sum of squares) kept; reduced
   * automatically for large conversations (≈ 5M point-iterations in all). Polis runs once but
   * warm-starts from its previous clustering; restarts stand in for that history.
   */
  baseRestarts: number;
  /** Lloyd iterations for each group clustering (Polis: 100). */
  groupIterations: number;
  /** Power-iteration cap; iteration stops earlier once the 2-D subspace is stable to pcaTolerance. */
  pcaMaxIterations: number;
  pcaTolerance: number;
  /** Representative statements returned per group (Polis: 5). */
  repnessPerGroup: number;
  /** Consensus statements returned per direction (Polis: 5). */
  consensusPerDirection: number;
  /** One-sided z threshold for "significant" (Polis: 1.2816, 90 %). */
  zThreshold: number;
  /** Seed of the k-means++ initialisations. Same seed, same groups. */
  seed: number;
  /**
   * Polis keeps moderated-out statements as all-zero columns (polismath zero-out-columns) rather than
   * deleting them: their votes carry no weight anywhere, but in the sparsity correction
   * sqrt(statements / votes) every participant counts as having passed on each of them. true (default)
   * reproduces that; false drops them completely.
   */
  polisModerationScaling: boolean;
}

export interface OpinionGroup {
  /** 0-based, canonical: larger groups first, ties by smallest member id. */
  id: number;
  /** Sorted participant ids. */
  memberIds: Int32Array;
  /** Mean projection of the members on the two axes. */
  centre: [number, number];
}

export interface BaseCluster {
  /** 0-based, ordered by smallest member id. */
  id: number;
  groupId: number;
  memberIds: Int32Array;
  centre: [number, number];
}

/** One participant row per voter, columnar, sorted by participant id. */
export interface ParticipantTable {
  ids: Int32Array;
  /** Projection on axis 1 and 2 (Polis's sparsity-aware projection); 0,0 for someone with no counted votes. */
  x: Float64Array;
  y: Float64Array;
  /** Group id, or -1 when not placed. */
  groupId: Int32Array;
  /** Counted votes (statements moderated out are not counted). */
  voteCount: Int32Array;
}

export interface Axes {
  /** Statements in the math (voted on, not moderated out), sorted by id. */
  statementIds: Int32Array;
  /** Mean vote per statement (passes count 0): the centre the axes go through. */
  centre: Float64Array;
  /** Unit loadings; the largest-magnitude loading of each axis is positive (ties: smallest statement id). */
  pc1: Float64Array;
  pc2: Float64Array;
  /** Eigenvalues of the centred scatter matrix for the two axes (0 when an axis does not exist). */
  eigenvalues: [number, number];
  /** Power iterations used; `converged` is false if pcaMaxIterations was reached first. */
  iterations: number;
  converged: boolean;
}

export type Direction = 'agree' | 'disagree';

/** Polis's representativeness record for one statement in one group. */
export interface RepresentativeStatement {
  statementId: number;
  direction: Direction;
  /** Agrees (or disagrees) in the group, and votes seen by the group. */
  nSuccess: number;
  nTrials: number;
  /** (nSuccess + 1) / (nTrials + 2). */
  pSuccess: number;
  /** z of pSuccess against 0.5. */
  pTest: number;
  /** pSuccess divided by the same proportion among everyone placed outside the group. */
  repness: number;
  /** Two-proportion z of the group against the rest. */
  repnessTest: number;
  /** True for the statement Polis puts first as "what this group agrees on most" (direction may still be disagree). */
  bestAgree: boolean;
}

export interface ConsensusStatement {
  statementId: number;
  nSuccess: number;
  nTrials: number;
  pSuccess: number;
  pTest: number;
}

/** Vote totals of one statement, overall and in each group (aligned to `result.groups`). */
export interface StatementStats {
  statementIds: Int32Array;
  agree: Int32Array;
  disagree: Int32Array;
  pass: Int32Array;
  /** group g, statement j at [g * statementIds.length + j]: agrees, disagrees and all votes by placed members. */
  groupAgree: Int32Array;
  groupDisagree: Int32Array;
  groupSeen: Int32Array;
  /** Product over groups of (agree + 1) / (seen + 2); 1 when there are no groups. */
  groupInformedConsensus: Float64Array;
  /** Polis's comment extremity: length of the statement's projection on the two axes (0 if not in the math). */
  extremity: Float64Array;
  /** True for statements in the math. */
  inMath: Uint8Array;
  meta: Uint8Array;
}

export interface DeliberationCounts {
  participants: number;
  placed: number;
  statements: number;
  statementsInMath: number;
  statementsExcluded: number;
  votes: number;
  agree: number;
  disagree: number;
  pass: number;
  /** Repeated (participant, statement) votes that were superseded by a later one. */
  duplicatesDropped: number;
  /** Votes on excluded statements, ignored. */
  votesOnExcluded: number;
}

export interface DeliberationResult {
  /** sha256 (hex) of the canonical votes and statement lists; equal digests mean equal math input. */
  inputDigest: string;
  params: DeliberationParams;
  counts: DeliberationCounts;
  axes: Axes;
  participants: ParticipantTable;
  /** Participant id → group id, for placed participants only. */
  groupByParticipant: Map<number, number>;
  groups: OpinionGroup[];
  baseClusters: BaseCluster[];
  /** Number of groups chosen (groups.length). */
  k: number;
  /** Silhouette of the chosen clustering (over base clusters, as Polis), 0 when there is one group or none. */
  silhouette: number;
  /** Silhouette for every k tried. */
  silhouetteByK: Array<{ k: number; silhouette: number; groups: number }>;
  /** Representative statements, one list per group, aligned to `groups`. */
  repness: RepresentativeStatement[][];
  consensus: { agree: ConsensusStatement[]; disagree: ConsensusStatement[] };
  statements: StatementStats;
  /** Statements moderated out (sorted): ignored by the math, never offered by nextStatement. */
  excludedStatementIds: Int32Array;
  /** Stage timings in milliseconds, wall clock and process CPU time. */
  timings: Record<string, number>;
  cpuTimings: Record<string, number>;
}
