import { randomBytes } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared.js';
import { ConflictError } from '../../platform/errors.js';
import { OpinionRouter, type RouteInput, type RouteSuggestion } from './analysis/router.js';
import { TARGET_BODY_KINDS } from './model.js';
import { registerLearner, registerSuggester } from './routing.js';

// The routing suggester's model lives in `settings` (key opinion_router_model), its labels
// are body ids as strings. A second, small key holds a random version token that changes
// with every save: each process keeps the parsed model in memory and only re-reads the
// (large) model when the token moved. Learning happens in the transaction of the staff's
// routing decision and saves through a compare-and-swap on the token, so two learners at
// once never lose an example.

export const MODEL_KEY = 'opinion_router_model';
export const VERSION_KEY = 'opinion_router_version';
/** Below this, no suggestion: the category's default body (if any) is suggested instead. */
export const SUGGEST_MIN_CONFIDENCE = 0.5;

/** Sure enough to suggest: confident, and some word spoke for it (not only past proportions). */
export const confidentEnough = (s: RouteSuggestion): boolean => s.confidence >= SUGGEST_MIN_CONFIDENCE && s.reasonTerms.length > 0;

let cached: { version: string; router: OpinionRouter } | null = null;

// Both asked for every opinion the committee routes: built once (db/prepared.ts).
const versionRow = preparedQuery(0, (db) => db.selectFrom('settings').select('value').where('key', '=', VERSION_KEY));
const bodyKind = preparedQuery(1, (db, id: number) => db.selectFrom('bodies').select(['id', 'kind']).where('id', '=', id));

async function currentVersion(db: Executor): Promise<string | null> {
  return (await versionRow.first(db))?.value ?? null;
}

async function readModel(db: Executor): Promise<OpinionRouter | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', MODEL_KEY).executeTakeFirst();
  if (!row) return null;
  try {
    return OpinionRouter.fromJSON(row.value);
  } catch {
    return null; // a damaged model suggests nothing; the next save replaces it
  }
}

/** The stored model, parsed once per version per process (null when none was trained). */
export async function loadRouter(db: Executor): Promise<OpinionRouter | null> {
  const version = await currentVersion(db);
  if (version === null) return null;
  if (cached?.version === version) return cached.router;
  const router = await readModel(db);
  if (router) cached = { version, router };
  return router;
}

/**
 * Saves a model. With `expectVersion` (a version token, or null for "none stored yet") the
 * save only happens if nobody saved since: false when somebody did.
 */
export async function saveRouter(db: Executor, router: OpinionRouter, expectVersion?: string | null): Promise<boolean> {
  const version = randomBytes(9).toString('base64url');
  const model = JSON.stringify(router.toJSON());
  if (expectVersion === null) {
    const r = await db.insertInto('settings').values({ key: VERSION_KEY, value: version }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
  } else if (expectVersion !== undefined) {
    const r = await db.updateTable('settings').set({ value: version }).where('key', '=', VERSION_KEY).where('value', '=', expectVersion).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
  } else {
    await db.insertInto('settings').values({ key: VERSION_KEY, value: version }).onConflict((oc) => oc.column('key').doUpdateSet({ value: version })).execute();
  }
  await db.insertInto('settings').values({ key: MODEL_KEY, value: model }).onConflict((oc) => oc.column('key').doUpdateSet({ value: model })).execute();
  return true;
}

const inputOf = (text: { title: string; body: string; category: string }): RouteInput => ({ title: text.title, text: text.body, category: text.category });

/**
 * Learns one routing decision (in the caller's transaction). When the model already agrees
 * it is a confirmation and counts once; a correction counts as several examples.
 */
export async function learnExample(db: Executor, example: { title: string; body: string; category: string }, bodyId: number): Promise<void> {
  const input = inputOf(example);
  const label = String(bodyId);
  for (let attempt = 0; attempt < 5; attempt++) {
    const version = await currentVersion(db);
    // A fresh copy: the cached model is shared by requests and must not change before commit.
    const router = (version !== null ? await readModel(db) : null) ?? new OpinionRouter();
    const before = router.suggest(input, false);
    if (before?.label === label) router.learn(input, label);
    else router.correct(input, label);
    if (await saveRouter(db, router, version)) return;
  }
  throw new ConflictError();
}

registerSuggester(async (db, text) => {
  const router = await loadRouter(db);
  const s = router?.suggest(inputOf(text));
  if (!s || !confidentEnough(s) || !/^\d{1,9}$/.test(s.label)) return null;
  // Bodies can be removed or changed after the model learned them.
  const body = await bodyKind.first(db, Number(s.label));
  if (!body || !TARGET_BODY_KINDS.includes(body.kind)) return null;
  return { bodyId: body.id, reason: s.reason, confidence: s.confidence };
});

registerLearner(learnExample);
