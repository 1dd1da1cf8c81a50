/**
 * Small dense linear algebra for the block power iteration: blocks of b columns stored
 * interleaved (entry (j, t) at j · b + t), and b × b symmetric eigen-decomposition.
 */

/** Inner product of block columns s and t of x and y (same interleaved layout). */
export function colDot(x: Float64Array, s: number, y: Float64Array, t: number, b: number, n: number): number {
  let sum = 0;
  for (let j = 0; j < n; j++) sum += x[j * b + s]! * y[j * b + t]!;
  return sum;
}

/**
 * Modified Gram–Schmidt on the block's columns in order, in place. A column with no length left
 * (relative to `scale`) becomes 0 and stays out of the basis; returns how many columns remain.
 */
export function orthonormaliseBlock(v: Float64Array, b: number, n: number, scale: number): number {
  let rank = 0;
  for (let t = 0; t < b; t++) {
    for (let s = 0; s < t; s++) {
      const p = colDot(v, s, v, t, b, n);
      if (p !== 0) for (let j = 0; j < n; j++) v[j * b + t]! -= p * v[j * b + s]!;
    }
    const norm = Math.sqrt(colDot(v, t, v, t, b, n));
    if (norm > scale * 1e-12) {
      for (let j = 0; j < n; j++) v[j * b + t]! /= norm;
      rank++;
    } else {
      for (let j = 0; j < n; j++) v[j * b + t] = 0;
    }
  }
  return rank;
}

/**
 * Eigen-decomposition of a small symmetric matrix (b × b, row-major) by cyclic Jacobi rotations:
 * returns the eigenvalues in descending order and the eigenvectors as the columns of a b × b
 * row-major matrix in the same order. Fixed sweep order, so the same input gives the same output.
 */
export function symmetricEigen(h: Float64Array, b: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(h);
  const q = new Float64Array(b * b);
  for (let i = 0; i < b; i++) q[i * b + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < b; i++) {
      diag += a[i * b + i]! * a[i * b + i]!;
      for (let j = i + 1; j < b; j++) off += a[i * b + j]! * a[i * b + j]!;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < b; p++) {
      for (let r = p + 1; r < b; r++) {
        const apr = a[p * b + r]!;
        if (apr === 0) continue;
        const theta = (a[r * b + r]! - a[p * b + p]!) / (2 * apr);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cos = 1 / Math.sqrt(t * t + 1);
        const sin = t * cos;
        for (let k = 0; k < b; k++) {
          const akp = a[k * b + p]!;
          const akr = a[k * b + r]!;
          a[k * b + p] = cos * akp - sin * akr;
          a[k * b + r] = sin * akp + cos * akr;
        }
        for (let k = 0; k < b; k++) {
          const apk = a[p * b + k]!;
          const ark = a[r * b + k]!;
          a[p * b + k] = cos * apk - sin * ark;
          a[r * b + k] = sin * apk + cos * ark;
        }
        for (let k = 0; k < b; k++) {
          const qkp = q[k * b + p]!;
          const qkr = q[k * b + r]!;
          q[k * b + p] = cos * qkp - sin * qkr;
          q[k * b + r] = sin * qkp + cos * qkr;
        }
      }
    }
  }
  const order = Array.from({ length: b }, (_, i) => i).sort((x, y) => a[y * b + y]! - a[x * b + x]! || x - y);
  const values = new Float64Array(b);
  const vectors = new Float64Array(b * b);
  order.forEach((src, dst) => {
    values[dst] = a[src * b + src]!;
    for (let k = 0; k < b; k++) vectors[k * b + dst] = q[k * b + src]!;
  });
  return { values, vectors };
}

/** Y = X Q for an interleaved block X (n × b) and a b × b row-major Q. */
export function rotateBlock(x: Float64Array, q: Float64Array, b: number, n: number, out: Float64Array): void {
  for (let j = 0; j < n; j++) {
    const base = j * b;
    for (let t = 0; t < b; t++) {
      let s = 0;
      for (let k = 0; k < b; k++) s += x[base + k]! * q[k * b + t]!;
      out[base + t] = s;
    }
  }
}

/** Smallest singular value of the 2 × 2 matrix [[a, b], [c, d]]. */
export function smallestSingularValue(a: number, b: number, c: number, d: number): number {
  // Singular values of [[a, b], [c, d]]: sqrt of the eigenvalues of MᵀM.
  const p = a * a + c * c;
  const q = a * b + c * d;
  const r = b * b + d * d;
  const mean = (p + r) / 2;
  const disc = Math.sqrt(((p - r) / 2) ** 2 + q * q);
  return Math.sqrt(Math.max(0, mean - disc));
}
