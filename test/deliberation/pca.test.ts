/**
 * The principal axes are the scatter matrix's leading eigenvectors: checked against the full
 * eigen-decomposition of the dense CᵀC (Jacobi, itself checked by its residuals), on conversations
 * where the second and third eigenvalues are close (four equal opinion groups) — the case where
 * iterating on two vectors alone needed 64, 236 and 79 rounds for the three cases below (the block
 * of four: 20, 43, 21).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildVoteMatrix, createPrng, type VoteColumns } from '../../src/modules/deliberation/engine/index.js';
import { symmetricEigen } from '../../src/modules/deliberation/engine/block-linalg.js';
import { centreColumns, powerIterationPca } from '../../src/modules/deliberation/engine/pca.js';

/** Four equal groups, each with its own agree probability per statement (as in the vote benchmark). */
function planted(participants: number, statements: number, perParticipant: number, seed: number): VoteColumns {
  const rand = createPrng(seed);
  const agree = Array.from({ length: 4 * statements }, () => (rand() < 1 / 3 ? 0.85 : rand() < 0.5 ? 0.15 + 0.2 * rand() : 0.65 + 0.2 * rand()));
  const p: number[] = [];
  const s: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < participants; i++) {
    const g = i % 4;
    for (let j = 0; j < statements; j++) {
      if (rand() * statements >= perParticipant) continue;
      const u = rand();
      p.push(10 + i);
      s.push(500 + j);
      v.push(u < 0.12 ? 0 : u < 0.12 + 0.88 * agree[g * statements + j]! ? 1 : -1);
    }
  }
  return { participantIds: Int32Array.from(p), statementIds: Int32Array.from(s), values: Int8Array.from(v) };
}

function denseScatter(votes: VoteColumns): { g: Float64Array; n: number } {
  const m = buildVoteMatrix({ votes });
  const { centred } = centreColumns(m);
  const n = m.columnIds.length;
  const g = new Float64Array(n * n);
  for (let r = 0; r < m.participantIds.length; r++) {
    for (let a = m.rowPtr[r]!; a < m.rowPtr[r + 1]!; a++) {
      for (let b = m.rowPtr[r]!; b < m.rowPtr[r + 1]!; b++) g[m.col[a]! * n + m.col[b]!]! += centred[a]! * centred[b]!;
    }
  }
  return { g, n };
}

function residual(g: Float64Array, n: number, x: Float64Array | number[], lambda: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += g[i * n + j]! * x[j]!;
    worst = Math.max(worst, Math.abs(s - lambda * x[i]!));
  }
  return worst;
}

describe('PCA', () => {
  it('the Jacobi eigen-decomposition satisfies G x = λ x for every pair, eigenvalues descending', () => {
    const { g, n } = denseScatter(planted(200, 30, 20, 3));
    const { values, vectors } = symmetricEigen(g, n);
    for (let t = 0; t < n; t++) {
      const x = Array.from({ length: n }, (_, k) => vectors[k * n + t]!);
      assert.ok(residual(g, n, x, values[t]!) < 1e-8 * values[0]!, `pair ${t}`);
      if (t > 0) assert.ok(values[t - 1]! >= values[t]!);
    }
  });

  for (const [participants, statements, per, seed] of [[400, 40, 25, 1], [2000, 60, 12, 2], [1200, 120, 30, 5]] as const) {
    it(`${participants} × ${statements}: the axes are the two leading eigenvectors, found in few rounds`, () => {
      const votes = planted(participants, statements, per, seed);
      const { g, n } = denseScatter(votes);
      const full = symmetricEigen(g, n);
      const pca = powerIterationPca(buildVoteMatrix({ votes }), 500, 1e-11);
      assert.ok(pca.converged);
      // Four equal groups: λ2 and λ3 are close, yet the block converges at the rate of λ5/λ2.
      assert.ok(full.values[2]! / full.values[1]! > 0.75, 'the case under test has close eigenvalues');
      assert.ok(pca.iterations <= 50, `${pca.iterations} rounds`);
      assert.ok(Math.abs(pca.eigenvalues[0] - full.values[0]!) < 1e-7 * full.values[0]!);
      assert.ok(Math.abs(pca.eigenvalues[1] - full.values[1]!) < 1e-7 * full.values[0]!);
      for (const [pc, lambda] of [[pca.pc1, pca.eigenvalues[0]], [pca.pc2, pca.eigenvalues[1]]] as const) {
        assert.ok(residual(g, n, pc, lambda) < 1e-4 * full.values[0]!, 'G pc = λ pc');
        assert.ok(Math.abs(pc.reduce((a, x) => a + x * x, 0) - 1) < 1e-9, 'unit length');
      }
    });
  }
});
