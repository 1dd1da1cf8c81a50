import type { Executor } from '../../db/database.js';

// The routing suggester: when a citizen lets the committee route an opinion, the platform
// suggests a body and says why; staff confirm or correct, and corrections teach it.
// `suggestRoute` is the one entrance the service uses.

export interface RouteSuggestion { bodyId: number; reason: string; confidence: number }

export type Suggester = (db: Executor, text: { title: string; body: string; category: string }) => Promise<RouteSuggestion | null>;

let learned: Suggester | null = null;
/** The learned model registers itself here (see router-store.ts). */
export function registerSuggester(s: Suggester): void {
  learned = s;
}

export async function suggestRoute(db: Executor, text: { title: string; body: string; category: string }, categoryBodyId: number | null): Promise<RouteSuggestion | null> {
  const fromModel = learned ? await learned(db, text) : null;
  if (fromModel) return fromModel;
  if (categoryBodyId === null) return null;
  const cat = await db.selectFrom('opinion_categories').select('name').where('key', '=', text.category).executeTakeFirst();
  return { bodyId: categoryBodyId, reason: `类别：${cat?.name ?? text.category}`, confidence: 0.5 };
}

export type Learner = (db: Executor, example: { title: string; body: string; category: string }, bodyId: number) => Promise<void>;
let learner: Learner | null = null;
export function registerLearner(l: Learner): void {
  learner = l;
}

/** Staff confirmed or corrected where an unaddressed opinion goes: teach the suggester (same transaction). */
export async function learnRouting(db: Executor, op: { title: string; body: string; category_key: string }, bodyId: number): Promise<void> {
  if (learner) await learner(db, { title: op.title, body: op.body, category: op.category_key }, bodyId);
}
