import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  id: number;
  stream_type: string;
  stream_id: string;
  action: string;
  actor_id: number | null;
  data: string;
  created_at: string;
}

/** hash = sha256(prev_hash + canonical JSON of the row's own fields). */
export function eventHash(prevHash: string, f: ChainedFields): string {
  const fields = {
    id: Number(f.id), stream_type: f.stream_type, stream_id: f.stream_id, action: f.action,
    actor_id: f.actor_id === null ? null : Number(f.actor_id), data: f.data, created_at: f.created_at,
  };
  return createHash('sha256').update(prevHash + canonicalJson(fields)).digest('hex');
}
