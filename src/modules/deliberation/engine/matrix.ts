/**
 * Canonical sparse vote matrix. Whatever order votes arrive in, the result is the same: participants
 * and statements are sorted by id, each row holds its votes sorted by statement, and a repeated vote
 * on the same pair keeps only the latest one. Everything downstream iterates in this order, so
 * floating-point sums are identical from run to run.
 */
import { createHash } from 'node:crypto';
import type { DeliberationInput, VoteColumns } from './types.js';

export class InvalidVotesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidVotesError';
  }
}

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

function isInt32(x: number): boolean {
  return Number.isInteger(x) && x >= -2147483648 && x <= 2147483647;
}

/** Ascending sort of 32-bit integers: two 16-bit counting passes (linear; typed-array sort is not). */
function radixSort(a: Int32Array): Int32Array {
  const n = a.length;
  if (n < 2048) return a.slice().sort();
  let src = new Uint32Array(n);
  for (let i = 0; i < n; i++) src[i] = (a[i]! ^ 0x80000000) >>> 0;
  let dst = new Uint32Array(n);
  const count = new Int32Array(65537);
  for (const shift of [0, 16]) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[((src[i]! >>> shift) & 0xffff) + 1]!++;
    for (let b = 0; b < 65536; b++) count[b + 1]! += count[b]!;
    for (let i = 0; i < n; i++) dst[count[(src[i]! >>> shift) & 0xffff]!++] = src[i]!;
    const t = src;
    src = dst;
    dst = t;
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = (src[i]! ^ 0x80000000) | 0;
  return out;
}

/** Sorted distinct values of a list of ids. */
export function sortedUnique(ids: ArrayLike<number>): Int32Array {
  if (!(ids instanceof Int32Array)) {
    for (let i = 0; i < ids.length; i++) if (!isInt32(ids[i]!)) throw new InvalidVotesError('ids must be 32-bit integers');
  }
  const src = ids instanceof Int32Array ? ids : Int32Array.from(ids);
  if (src.length === 0) return new Int32Array(0);
  let lo = src[0]!;
  let hi = src[0]!;
  for (let i = 1; i < src.length; i++) {
    const x = src[i]!;
    if (x < lo) lo = x;
    else if (x > hi) hi = x;
  }
  const span = hi - lo + 1;
  if (span <= Math.max(4 * src.length, 1 << 20) && span <= 1 << 25) {
    // Dense ids: a presence table is linear and cache-friendly.
    const seen = new Uint8Array(span);
    let count = 0;
    for (let i = 0; i < src.length; i++) {
      const o = src[i]! - lo;
      if (seen[o] === 0) {
        seen[o] = 1;
        count++;
      }
    }
    const out = new Int32Array(count);
    let w = 0;
    for (let o = 0; o < span; o++) if (seen[o] === 1) out[w++] = o + lo;
    return out;
  }
  const a = radixSort(src);
  let w = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[w - 1]) a[w++] = a[i]!;
  return a.slice(0, w);
}

/**
 * Maps every id to its rank among `sorted` (or -1 when absent). Uses a direct-address table when the
 * ids are dense enough, binary search otherwise.
 */
function rankIds(ids: Int32Array, sorted: Int32Array): Int32Array {
  const out = new Int32Array(ids.length);
  if (sorted.length === 0) return out.fill(-1);
  const lo = sorted[0]!;
  const span = sorted[sorted.length - 1]! - lo + 1;
  if (span <= Math.max(4 * ids.length, 1 << 20) && span <= 1 << 25) {
    const table = new Int32Array(span).fill(-1);
    for (let r = 0; r < sorted.length; r++) table[sorted[r]! - lo] = r;
    for (let i = 0; i < ids.length; i++) {
      const o = ids[i]! - lo;
      out[i] = o >= 0 && o < span ? table[o]! : -1;
    }
    return out;
  }
  for (let i = 0; i < ids.length; i++) {
    const x = ids[i]!;
    let a = 0;
    let b = sorted.length - 1;
    out[i] = -1;
    while (a <= b) {
      const m = (a + b) >>> 1;
      const y = sorted[m]!;
      if (y === x) {
        out[i] = m;
        break;
      }
      if (y < x) a = m + 1;
      else b = m - 1;
    }
  }
  return out;
}

function contains(sorted: Int32Array, x: number): boolean {
  let a = 0;
  let b = sorted.length - 1;
  while (a <= b) {
    const m = (a + b) >>> 1;
    const y = sorted[m]!;
    if (y === x) return true;
    if (y < x) a = m + 1;
    else b = m - 1;
  }
  return false;
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
  // among repeats of the same (row, column).
  let kept = 0;
  const colStart = new Int32Array(nCols + 1);
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (x !== 1 && x !== -1 && x !== 0) throw new InvalidVotesError(`vote ${i}: value must be -1, 0 or 1`);
    const c = sRank[i]!;
    if (c >= 0) {
      colStart[c + 1]!++;
      kept++;
    }
  }
  for (let c = 0; c < nCols; c++) colStart[c + 1]! += colStart[c]!;
  const cursor = colStart.slice(0, nCols);
  const aRow = new Int32Array(kept);
  const aVal = new Int8Array(kept);
  const aPos = ts ? new Int32Array(kept) : null;
  for (let i = 0; i < n; i++) {
    const c = sRank[i]!;
    if (c < 0) continue;
    const k = cursor[c]!++;
    aRow[k] = pRank[i]!;
    aVal[k] = values[i]!;
    if (aPos) aPos[k] = i;
  }
  const nRows = participantIds.length;
  const rowStart = new Int32Array(nRows + 1);
  for (let k = 0; k < kept; k++) rowStart[aRow[k]! + 1]!++;
  for (let r = 0; r < nRows; r++) rowStart[r + 1]! += rowStart[r]!;
  const fill = rowStart.slice(0, nRows);
  const bCol = new Int32Array(kept);
  const bVal = new Int8Array(kept);
  const bPos = aPos ? new Int32Array(kept) : null;
  for (let c = 0; c < nCols; c++) {
    for (let k = colStart[c]!; k < colStart[c + 1]!; k++) {
      const q = fill[aRow[k]!]!++;
      bCol[q] = c;
      bVal[q] = aVal[k]!;
      if (bPos) bPos[q] = aPos![k]!;
    }
  }

  // Keep one vote per (row, column): the latest timestamp, then the latest position.
  const rowPtr = new Int32Array(nRows + 1);
  const col = new Int32Array(kept);
  const val = new Int8Array(kept);
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
