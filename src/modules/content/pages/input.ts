import { choice, dateTime, int, text } from '../../../platform/validation.js';
import { SLUG } from '../shared/ids.js';
import { INTENTS } from '../shared/publishing.js';
import { PAGE_KINDS } from './queries.js';

/** The fields of the page editor. */
export const pageSpec = {
  body_id: int({ label: (t) => t.contentAdmin.fieldBody, min: 1 }),
  kind: choice({ label: (t) => t.contentAdmin.fieldKind, values: PAGE_KINDS }),
  slug: text({ label: (t) => t.contentAdmin.fieldSlug, max: 60, pattern: SLUG }),
  title: text({ label: (t) => t.contentAdmin.fieldTitle, max: 120 }),
  body_md: text({ label: (t) => t.contentAdmin.fieldMarkdown, max: 50_000, multiline: true }),
  sort: int({ label: (t) => t.contentAdmin.fieldSort, min: 0, max: 9999, required: false }),
  publish_at: dateTime({ label: (t) => t.contentAdmin.fieldPublishAt, required: false }),
  intent: choice({ label: (t) => t.contentAdmin.fieldIntent, values: INTENTS }),
};
