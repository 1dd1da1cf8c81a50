import type { Executor } from '../../db/database.js';
import { indexDocument, removeDocument } from '../../platform/search/index.js';
import { findProfile } from './queries.js';

/**
 * Puts a member's public profile into site search (or takes it out when the profile is no
 * longer public). Call it after any change to the member's profile or memberships.
 */
export async function indexMember(db: Executor, userId: number): Promise<void> {
  const p = await findProfile(db, userId);
  if (!p) {
    await removeDocument(db, 'member', userId);
    return;
  }
  const parts = [
    p.sector?.name, p.township?.name, p.isStanding ? '常委' : null, p.party, p.occupation,
    ...p.bodies.map((b) => b.name), ...p.terms.map((t) => t.name), p.bio,
  ];
  await indexDocument(db, {
    docType: 'member', docId: p.id, title: p.name,
    text: parts.filter((s): s is string => !!s).join('\n'),
    url: `/members/${p.id}`, publishedAt: null,
  });
}
