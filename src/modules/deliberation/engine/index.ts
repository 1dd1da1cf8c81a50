/**
 * Deliberation math engine (网络议政) — opinion groups from agree / disagree / pass votes, the way
 * Polis computes them (polismath). Pure TypeScript: no database, no HTTP, no randomness outside a
 * seed. Import everything from this file.
 *
 * ## Compute
 *
 *   const result = computeOpinionGroups({
 *     votes: { participantIds: Int32Array, statementIds: Int32Array, values: Int8Array }, // or [{participantId, statementId, value}]
 *     statementIds: [...all open statements],     // optional: unvoted ones get priorities
 *     excludedStatementIds: [...moderated out],   // ignored by the math
 *   }, { maxGroups: 5 });                         // DeliberationParams, all optional (DEFAULT_PARAMS)
 *
 * Pipeline (each step as polismath does it; differences are listed in the README of this folder):
 * 1. Canonical sparse matrix (CSR), participants and statements sorted by id; the latest vote per
 *    (participant, statement) counts (by `timestamps` if given, else by position).
 * 2. PCA, 2 axes, by power iteration on the centred matrix (missing votes = statement mean). Axes
 *    signed so their largest loading is positive.
 * 3. Sparsity-aware projection: sqrt(statements / votes) × Σ (vote − mean) · loading.
 * 4. Placed participants: ≥ min(minVotesToPlace = 7, statements) votes; topped up to minPlaced = 15.
 * 5. baseClusters (100) by k-means over the placed, then groups of base clusters for
 *    k = 2..min(maxGroups, 2 + bases/12), keeping the best silhouette (computed over base clusters).
 * 6. Representative statements per group (two-proportion z-tests with pseudocounts, significance
 *    z > 1.2816), consensus statements, group-informed consensus Π_g (agree_g + 1) / (seen_g + 2).
 *
 * Same votes (in any order) + same params ⇒ bit-identical result. `result.inputDigest` (sha256 of
 * the canonical votes and statement lists) lets a caller skip recomputing unchanged input; compare
 * `result.params` too if parameters can change.
 *
 * Groups are numbered by size (largest first, ties by smallest member id); `groupLetter(id)` gives
 * A, B, C… Participants come back columnar (`result.participants`: ids, x, y, groupId, voteCount),
 * plus `result.groupByParticipant` (Map) for the placed ones.
 *
 * ## Use
 *
 * - `nextStatement(result, { votedStatementIds, candidateStatementIds?, seed })` — Polis's weighted
 *   draw of the next statement to show; `rankStatements` / `statementPriorities` expose the weights.
 * - `renderOpinionMapSvg(result, { locale, idPrefix })` — accessible SVG string (role="img",
 *   title/desc, shapes + hatching + labels, no script); `describeOpinionMap(result, { statementText })`
 *   and `opinionMapText(summary)` — the text alternative.
 * - Polis open data: `parseCommentsCsv`, `parseVotesCsv`, `parseParticipantsVotesCsv`,
 *   `parseSummaryCsv`, `latestVotes`, `deliberationInputFromPolis`, and `write*Csv`,
 *   `participantsVotesFromResult`, `summaryFromResult` to export our own results in that format.
 * - `adjustedRandIndex(a, b)` to compare two groupings.
 *
 * Errors: `InvalidVotesError` (malformed votes: lengths differ, value not -1/0/1, non-integer id),
 * `PolisFormatError` (bad CSV), `RangeError` (bad params). Degenerate but valid input (no votes, one
 * participant, all passes, a single statement…) never throws: it yields zero or one group.
 */
export { computeOpinionGroups, DEFAULT_PARAMS } from './pipeline.js';
export { InvalidVotesError, buildVoteMatrix, matrixDigest, type VoteMatrix } from './matrix.js';
export { nextStatement, rankStatements, statementPriorities, priorityMetric, META_PRIORITY, type NextStatementOptions } from './priority.js';
export { renderOpinionMapSvg, type OpinionMapOptions } from './opinion-map.js';
export { describeOpinionMap, opinionMapText, groupLetter, type OpinionMapSummary, type MapTextOptions, type MapLocale, type MapPhrases } from './opinion-map-text.js';
export { propTest, twoPropTest } from './repness.js';
export { adjustedRandIndex } from './ari.js';
export { createPrng, hashSeed } from './prng.js';
export {
  PolisFormatError,
  parseCommentsCsv,
  parseVotesCsv,
  parseParticipantsVotesCsv,
  parseSummaryCsv,
  summaryNumber,
  latestVotes,
  deliberationInputFromPolis,
  writeCommentsCsv,
  writeVotesCsv,
  writeParticipantsVotesCsv,
  writeSummaryCsv,
  participantsVotesFromResult,
  summaryFromResult,
  polisDatetime,
  type PolisComment,
  type PolisFile,
  type PolisProblem,
  type PolisVotes,
  type PolisParticipantRow,
  type PolisParticipantsVotes,
  type PolisSummary,
} from './polis-csv.js';
export type * from './types.js';
