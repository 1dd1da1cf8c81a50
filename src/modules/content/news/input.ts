import { NEWS_KINDS_LIST } from './kinds.js';
import { INTENTS } from '../shared/publishing.js';
import { choice, dateTime, int, text } from '../../../platform/validation.js';

/** The fields of the news editor, shared by the form and the JSON API. */
export const newsSpec = {
  body_id: int({ label: (t) => t.contentAdmin.fieldBody, min: 1 }),
  kind: choice({ label: (t) => t.contentAdmin.fieldKind, values: NEWS_KINDS_LIST }),
  title: text({ label: (t) => t.contentAdmin.fieldTitle, max: 120 }),
  summary: text({ label: (t) => t.contentAdmin.fieldSummary, max: 300, multiline: true, required: false }),
  body_md: text({ label: (t) => t.contentAdmin.fieldMarkdown, max: 50_000, multiline: true }),
  publish_at: dateTime({ label: (t) => t.contentAdmin.fieldPublishAt, required: false }),
  intent: choice({ label: (t) => t.contentAdmin.fieldIntent, values: INTENTS }),
};
