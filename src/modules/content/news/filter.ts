import { choice, int, validate } from '../../../platform/validation.js';
import { NEWS_KINDS_LIST } from './kinds.js';
import type { NewsFilter } from './queries.js';

const spec = {
  kind: choice({ label: (t) => t.content.paramKind, values: NEWS_KINDS_LIST, required: false }),
  body: int({ label: (t) => t.content.paramBody, min: 1, required: false }),
  page: int({ label: (t) => t.content.paramPage, min: 1, max: 100_000, required: false }),
};

/** Parses ?kind=&body=&page= ; anything else is a localised 400. */
export function parseNewsFilter(query: unknown): NewsFilter {
  const v = validate(spec, query);
  return { kind: v.kind, bodyId: v.body, page: v.page ?? 1 };
}
