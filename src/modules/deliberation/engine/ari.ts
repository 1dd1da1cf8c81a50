/** Adjusted Rand index (Hubert & Arabie) between two labellings of the same items. */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError('labellings differ in length');
  const n = a.length;
  if (n < 2) return 1;
  const ia = new Map<number, number>();
  const ib = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (!ia.has(a[i]!)) ia.set(a[i]!, ia.size);
    if (!ib.has(b[i]!)) ib.set(b[i]!, ib.size);
  }
  const ka = ia.size;
  const kb = ib.size;
  const table = new Float64Array(ka * kb);
  for (let i = 0; i < n; i++) table[ia.get(a[i]!)! * kb + ib.get(b[i]!)!]!++;
  const c2 = (x: number) => (x * (x - 1)) / 2;
  let sumCells = 0;
  const rows = new Float64Array(ka);
  const cols = new Float64Array(kb);
  for (let r = 0; r < ka; r++) {
    for (let c = 0; c < kb; c++) {
      const x = table[r * kb + c]!;
      sumCells += c2(x);
      rows[r]! += x;
      cols[c]! += x;
    }
  }
  let sumRows = 0;
  let sumCols = 0;
  for (const x of rows) sumRows += c2(x);
  for (const x of cols) sumCols += c2(x);
  const expected = (sumRows * sumCols) / c2(n);
  const max = (sumRows + sumCols) / 2;
  if (max === expected) return sumCells === expected ? 1 : 0;
  return (sumCells - expected) / (max - expected);
}
