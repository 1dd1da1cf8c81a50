/**
 * Seeded pseudo-random numbers and integer hashing. The engine never calls Math.random: every
 * "random" choice (k-means++ seeding, the next statement to show) comes from here, so the same
 * seed gives the same answer on every run and every machine.
 */

/** A 32-bit integer mix (the finaliser of MurmurHash3). */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a string or number (FNV-1a over UTF-16 code units, then mixed) to an unsigned 32-bit integer. */
export function hashSeed(seed: string | number): number {
  const s = typeof seed === 'number' ? `n:${seed}` : `s:${seed}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** Deterministic value in [-1, 1) derived from an integer and a stream number. */
export function hashUnit(value: number, stream: number): number {
  const h = mix32(mix32(value) ^ Math.imul(stream + 1, 0x9e3779b9));
  return h / 2147483648 - 1;
}

/** Mulberry32: small, fast, good enough for seeding and sampling. Returns numbers in [0, 1). */
export function createPrng(seed: string | number): () => number {
  let a = hashSeed(seed);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
