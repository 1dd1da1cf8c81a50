/**
 * Canonical sparse vote matrix. Whatever order votes arrive in, the result is the same: participants
 * and statements are sorted by id, each row holds its votes sorted by statement, and a repeated vote
 * on the same pair keeps only the latest one. Everything downstream iterates in this order, so
 * floating-point sums are identical from run to run.
 */
import { createHash } from 'node:crypto';
import { contains, InvalidVotesError, isInt32, rankIds, sortedUnique } from './ids.js';
import type { DeliberationInput, VoteColumns } from './types.js';

export { InvalidVotesError };

export interface VoteMatrix {
  /** Every participant with at least one vote (even only on excluded statements), sorted. */
  participantIds: Int32Array;
  /** Statements in the math: voted on and not excluded, sorted. Columns of the CSR. */
  columnIds: Int32Array;
  /** CSR: row r spans rowPtr[r] .. rowPtr[r + 1]; col indexes columnIds. */
  rowPtr: Int32Array;
  col: Int32Array;
  val: Int8Array;
  /** Columns plus statements announced without votes (excluded ones removed), sorted. */
  statementIds: Int32Array;
  excludedIds: Int32Array;
  metaIds: Int32Array;
  duplicatesDropped: number;
  votesOnExcluded: number;
  /** Per row: distinct statements voted on, excluded ones included (Polis's user-vote-counts). */
  rawVoteCount: Int32Array;
  /** Excluded statements that received at least one vote (columns Polis keeps, zeroed). */
  excludedColumns: number;
}

function toColumns(votes: DeliberationInput['votes']): VoteColumns {
  if (!Array.isArray(votes)) {
    const v = votes as VoteColumns;
    const n = v.participantIds.length;
    if (v.statementIds.length !== n || v.values.length !== n || (v.timestamps && v.timestamps.length !== n)) {
      throw new InvalidVotesError('vote columns have different lengths');
    }
    return v;
  }
  const list = votes as readonly { participantId: number; statementId: number; value: number; timestamp?: number }[];
  const n = list.length;
  const out: VoteColumns = {
    participantIds: new Int32Array(n),
    statementIds: new Int32Array(n),
    values: new Int8Array(n),
  };
  const withTime = list.some((v) => v.timestamp !== undefined);
  if (withTime) out.timestamps = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = list[i]!;
    if (!isInt32(v.participantId) || !isInt32(v.statementId)) {
      throw new InvalidVotesError(`vote ${i}: ids must be 32-bit integers`);
    }
    if (v.value !== 1 && v.value !== -1 && v.value !== 0) throw new InvalidVotesError(`vote ${i}: value must be -1, 0 or 1`);
    out.participantIds[i] = v.participantId;
    out.statementIds[i] = v.statementId;
    out.values[i] = v.value;
    if (out.timestamps) {
      const t = v.timestamp ?? 0;
      if (!Number.isFinite(t)) throw new InvalidVotesError(`vote ${i}: timestamp must be finite`);
      out.timestamps[i] = t;
    }
  }
  return out;
}

export function buildVoteMatrix(input: DeliberationInput): VoteMatrix {
  const v = toColumns(input.votes);
  const n = v.participantIds.length;
  const ts = v.timestamps;
  if (ts) for (let i = 0; i < n; i++) if (!Number.isFinite(ts[i]!)) throw new InvalidVotesError(`vote ${i}: timestamp must be finite`);
  const excludedIds = sortedUnique(input.excludedStatementIds ?? []);
  const metaIds = sortedUnique(input.metaStatementIds ?? []);
  const participantIds = sortedUnique(v.participantIds);
  const votedStatements = sortedUnique(v.statementIds);
  let nCols = 0;
  const columnIds = new Int32Array(votedStatements.length);
  for (const s of votedStatements) if (!contains(excludedIds, s)) columnIds[nCols++] = s;
  const cols = columnIds.slice(0, nCols);
  const pRank = rankIds(v.participantIds, participantIds);
  const sRank = rankIds(v.statementIds, cols);
  const values = v.values;

  // Two stable counting sorts (by column, then by row) that carry the data along instead of indexes,
  // so every pass reads sequentially. Result: grouped by row, columns ascending, input order kept
  // among repeats of the same (row, column). Each pass is its own small function: V8 optimises
  // those far better than one long function with many loops.
  checkValues(values);
  const colStart = bucketStarts(sRank, nCols);
  const kept = colStart[nCols]!;
  const aRow = new Int32Array(kept);
  const aVal = new Int8Array(kept);
  const aPos = ts ? new Int32Array(kept) : null;
  scatterByColumn(sRank, pRank, values, colStart, aRow, aVal, aPos);
  const nRows = participantIds.length;
  const rowStart = bucketStarts(aRow, nRows);
  const bCol = new Int32Array(kept);
  const bVal = new Int8Array(kept);
  const bPos = aPos ? new Int32Array(kept) : null;
  scatterByRow(colStart, aRow, aVal, aPos, rowStart, bCol, bVal, bPos);
  const rowPtr = new Int32Array(nRows + 1);
  const col = new Int32Array(kept);
  const val = new Int8Array(kept);
  const w = keepLatest(rowStart, bCol, bVal, bPos, ts, rowPtr, col, val);

  // Votes on excluded statements: counted once per (participant, statement) for rawVoteCount.
  const rawVoteCount = new Int32Array(nRows);
  for (let r = 0; r < nRows; r++) rawVoteCount[r] = rowPtr[r + 1]! - rowPtr[r]!;
  let excludedColumns = 0;
  if (kept < n) {
    const exVoted: number[] = [];
    for (const s of votedStatements) if (contains(excludedIds, s)) exVoted.push(s);
    excludedColumns = exVoted.length;
    const exSorted = Int32Array.from(exVoted);
    const exRank = rankIds(v.statementIds, exSorted);
    const keys = new Float64Array(n - kept);
    let q = 0;
    for (let i = 0; i < n; i++) if (sRank[i]! < 0) keys[q++] = pRank[i]! * exSorted.length + exRank[i]!;
    keys.sort();
    for (let k = 0; k < keys.length; k++) if (k === 0 || keys[k] !== keys[k - 1]) rawVoteCount[Math.floor(keys[k]! / exSorted.length)]!++;
  }

  const announced = sortedUnique(input.statementIds ?? []);
  const allStatements: number[] = [];
  let a = 0;
  let b = 0;
  while (a < cols.length || b < announced.length) {
    const x = a < cols.length ? cols[a]! : Infinity;
    const y = b < announced.length ? announced[b]! : Infinity;
    const z = Math.min(x, y);
    if (x === z) a++;
    if (y === z) b++;
    if (!contains(excludedIds, z)) allStatements.push(z);
  }

  return {
    participantIds,
    columnIds: cols,
    rowPtr,
    col: col.slice(0, w),
    val: val.slice(0, w),
    statementIds: Int32Array.from(allStatements),
    excludedIds,
    metaIds,
    duplicatesDropped: kept - w,
    votesOnExcluded: n - kept,
    rawVoteCount,
    excludedColumns,
  };
}

function checkValues(values: Int8Array): void {
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x !== 1 && x !== -1 && x !== 0) throw new InvalidVotesError(`vote ${i}: value must be -1, 0 or 1`);
  }
}

/** Start of each bucket (length buckets + 1) for keys in 0..buckets-1; negative keys are skipped. */
function bucketStarts(keys: Int32Array, buckets: number): Int32Array {
  const start = new Int32Array(buckets + 1);
  for (let i = 0; i < keys.length; i++) {
    const c = keys[i]!;
    if (c >= 0) start[c + 1]!++;
  }
  for (let c = 0; c < buckets; c++) start[c + 1]! += start[c]!;
  return start;
}

function scatterByColumn(sRank: Int32Array, pRank: Int32Array, values: Int8Array, colStart: Int32Array, aRow: Int32Array, aVal: Int8Array, aPos: Int32Array | null): void {
  const cursor = colStart.slice(0, colStart.length - 1);
  for (let i = 0; i < sRank.length; i++) {
    const c = sRank[i]!;
    if (c < 0) continue;
    const k = cursor[c]!++;
    aRow[k] = pRank[i]!;
    aVal[k] = values[i]!;
    if (aPos) aPos[k] = i;
  }
}

function scatterByRow(colStart: Int32Array, aRow: Int32Array, aVal: Int8Array, aPos: Int32Array | null, rowStart: Int32Array, bCol: Int32Array, bVal: Int8Array, bPos: Int32Array | null): void {
  const fill = rowStart.slice(0, rowStart.length - 1);
  const nCols = colStart.length - 1;
  for (let c = 0; c < nCols; c++) {
    const end = colStart[c + 1]!;
    for (let k = colStart[c]!; k < end; k++) {
      const q = fill[aRow[k]!]!++;
      bCol[q] = c;
      bVal[q] = aVal[k]!;
      if (bPos) bPos[q] = aPos![k]!;
    }
  }
}

/** One vote per (row, column): the latest timestamp, then the latest position. Returns the count kept. */
function keepLatest(rowStart: Int32Array, bCol: Int32Array, bVal: Int8Array, bPos: Int32Array | null, ts: Float64Array | undefined, rowPtr: Int32Array, col: Int32Array, val: Int8Array): number {
  const nRows = rowStart.length - 1;
  let w = 0;
  for (let r = 0; r < nRows; r++) {
    rowPtr[r] = w;
    const end = rowStart[r + 1]!;
    let k = rowStart[r]!;
    while (k < end) {
      const c = bCol[k]!;
      let best = k;
      k++;
      // Repeats are adjacent and in input order, so ">=" lets the later of equal times win.
      while (k < end && bCol[k] === c) {
        if (!ts || ts[bPos![k]!]! >= ts[bPos![best]!]!) best = k;
        k++;
      }
      col[w] = c;
      val[w] = bVal[best]!;
      w++;
    }
  }
  rowPtr[nRows] = w;
  return w;
}

/** sha256 of the canonical matrix: same digest, same votes that count, same statement lists. */
export function matrixDigest(m: VoteMatrix): string {
  const h = createHash('sha256');
  const header = new Int32Array([1, m.participantIds.length, m.columnIds.length, m.col.length, m.statementIds.length, m.excludedIds.length, m.metaIds.length]);
  for (const part of [header, m.participantIds, m.columnIds, m.rowPtr, m.col, m.statementIds, m.excludedIds, m.metaIds]) {
    h.update(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
  }
  h.update(new Uint8Array(m.val.buffer, m.val.byteOffset, m.val.byteLength));
  return h.digest('hex');
}
