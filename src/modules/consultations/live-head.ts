import type { CurrentUser } from '../../platform/auth/current-user.js';
import { perHandle } from '../../platform/ttl-lru.js';
import type { ConsultationRow } from './access.js';
import type { LiveRights } from './live-rights.js';

// The live page is asked for again and again by the same people while the session runs; the
// consultation and a person's rights in it change far less often. Both are kept per
// (consultation, person as signed in now) and used only while nothing they were computed from
// has changed:
// - the consultation's own tables (the row, its holding bodies, participants, registrations):
//   every change to them appends to the consultation's stream, so the stream's last event id
//   is the version (read on every request; audit ids are handed out under one lock, so a
//   larger id is a later commit);
// - the person's memberships and administrator flag: loaded with the session on every
//   request, they are part of the key;
// - the body tree (who may manage a body above it): `tree` is the copy the rights were computed
//   from, taken from the shared page memo, which every structure change clears (in every process).
// The caller still applies the rights (who may read, who gets which form) on every request.

export interface HeadInputs { c: ConsultationRow; rights: LiveRights }
interface Kept { lastEventId: number; tree: object; value: Promise<HeadInputs> }

/** 5,000 (consultation, person) pairs per database handle, each for at most 30 s. */
const storeFor = perHandle<Kept>(5000, 30_000);

/** The person as far as their rights go: who they are, whether they administer, their roles. */
export const personKey = (user: CurrentUser | null): string => (user
  ? `${user.id}|${user.isAdmin ? 1 : 0}|${user.memberships.map((m) => `${m.bodyId}:${m.role}`).sort().join(',')}`
  : 'anon');

/**
 * The consultation and this person's rights as of the stream's event `lastEventId` and body tree
 * `tree`: kept ones if they were computed for the same, else `compute()` (read after
 * `lastEventId` was, so what it reads is at least that new). Concurrent requests share one
 * computation; a failed one (an unknown consultation) is not kept.
 */
export function keptHead(db: object, id: number, user: CurrentUser | null, lastEventId: number, tree: object, compute: () => Promise<HeadInputs>): Promise<HeadInputs> {
  const store = storeFor(db);
  const key = `${id}|${personKey(user)}`;
  const hit = store.get(key);
  if (hit && hit.lastEventId === lastEventId && hit.tree === tree) return hit.value;
  const entry: Kept = { lastEventId, tree, value: compute() };
  store.set(key, entry);
  entry.value.catch(() => store.delete(key, entry));
  return entry.value;
}
