import type { Executor } from '../../../../db/database.js';
import { type FieldIssue, ValidationError } from '../../../../platform/errors.js';
import { text, validate } from '../../../../platform/validation.js';
import type { Catalog, Locale } from '../../../../web/i18n/index.js';
import type { OpinionRow } from '../../access.js';
import { dueDates, isOverdue } from '../../clocks.js';
import { OPEN_STATUSES, formatTrackingCode } from '../../model.js';
import { recipientLabel } from '../../recipient.js';
import { parseOpinion } from '../../submit.js';
import { byStreamVersion } from '../../stream-cache.js';
import { opinionTimeline } from '../../timeline.js';
import { loadFormOptions, regionName } from './form-options.js';
import type { ConfirmPageProps } from './send-confirm.js';
import type { TrackViewProps } from './track.js';

// What the citizen pages show, read from the database: the preview of step 2 (checked
// without writing) and the tracking view.

export interface Preview { values: ConfirmPageProps['values']; summary: ConfirmPageProps['summary']; recipient: ConfirmPageProps['recipient']; due: ConfirmPageProps['due'] }

const emailSpec = { email: text({ label: (t) => t.opinions.fEmail, max: 120, pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, required: false }) };
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function emailIssue(f: Record<string, unknown>): FieldIssue | null {
  try {
    validate(emailSpec, { email: f.email });
    return null;
  } catch (err) {
    if (err instanceof ValidationError) return err.issues[0] ?? null;
    throw err;
  }
}

const kindName = (t: Catalog, kind: string) =>
  ({ opinion: t.opinions.kindOpinion, request: t.opinions.kindRequest, suggestion: t.opinions.kindSuggestion } as Record<string, string>)[kind] ?? kind;

const recipientName = (t: Catalog, locale: Locale, l: { body: string; bodyEn: string | null; member: string | null }) => {
  const body = locale === 'en' && l.bodyEn ? l.bodyEn : l.body;
  return l.member ? t.opinionsCitizen.recipientMember(l.member, body) : body;
};

/** Checks step 1 (the e-mail with the other fields) and works out who receives it and by when. */
export async function previewOf(db: Executor, locale: Locale, t: Catalog, f: Record<string, unknown>): Promise<Preview> {
  const parsed = await parseOpinion(db, f).catch((err: unknown) => {
    if (!(err instanceof ValidationError)) throw err;
    const bad = emailIssue(f);
    throw bad ? new ValidationError([...err.issues, bad]) : err;
  });
  const bad = emailIssue(f);
  if (bad) throw new ValidationError([bad]);
  const { input, recipient, clock } = parsed;
  const [label, options] = await Promise.all([recipientLabel(db, recipient), loadFormOptions(db, locale)]);
  const due = dueDates(new Date(), clock);
  return {
    values: {
      kind: input.kind, title: input.title, body: input.body, category: input.category, regionId: String(input.regionId), target: input.target,
      targetBodyId: input.target === 'body' ? String(input.targetBodyId) : '', targetMemberId: input.target === 'member' ? String(input.targetMemberId) : '',
      public: input.public ? '1' : '0', email: str(f.email).trim(),
    },
    summary: {
      kind: kindName(t, input.kind), category: options.categories.find((c) => c.key === input.category)?.name ?? input.category,
      region: regionName(options, input.regionId), isPublic: input.public,
    },
    recipient: { target: input.target, body: locale === 'en' && label.bodyEn ? label.bodyEn : label.body, member: label.member },
    due: { ...due, acceptDays: clock.accept_days, replyDays: clock.reply_days },
  };
}

/** The tracking view for the sender: status, who holds it, deadlines, timeline, files, and the opinion it was merged into. */
export async function trackViewOf(db: Executor, op: OpinionRow, locale: Locale, t: Catalog): Promise<Omit<TrackViewProps, 'ack' | 'notice' | 'forms' | 'signedIn'>> {
  // Who holds it, the timeline and the files change only with an event on the opinion's stream.
  const stream = () => Promise.all([
    recipientLabel(db, { handlerBodyId: op.handler_body_id, handlerUserId: op.handler_user_id }),
    opinionTimeline(db, op, 'sender'),
    db.selectFrom('attachments').select(['id', 'filename', 'size']).where('owner_type', '=', 'opinion').where('owner_id', '=', op.id).orderBy('id').execute(),
  ]);
  const [[label, timeline, files], into] = await Promise.all([
    byStreamVersion(db, 'sender', op.id, stream),
    op.status === 'merged' && op.merged_into_id ? db.selectFrom('opinions').selectAll().where('id', '=', op.merged_into_id).executeTakeFirst() : undefined,
  ]);
  let merged: TrackViewProps['merged'] = null;
  if (into) {
    // Someone else's opinion: only what its sender let anyone see (the public timeline, its title if public).
    const [intoLabel, intoTimeline] = await Promise.all([
      recipientLabel(db, { handlerBodyId: into.handler_body_id, handlerUserId: into.handler_user_id }), opinionTimeline(db, into, 'public'),
    ]);
    merged = {
      title: into.public_consent === 1 ? into.title : null, status: into.status, recipient: recipientName(t, locale, intoLabel), replyDue: into.reply_due,
      timeline: intoTimeline, publicUrl: into.public_visible === 1 ? `/opinions/${into.id}` : null,
    };
  }
  return {
    op: {
      code: formatTrackingCode(op.tracking_code), title: op.title, body: op.body, kind: kindName(t, op.kind), status: op.status, createdAt: op.created_at,
      acceptDue: op.accept_due, replyDue: op.reply_due, acceptOverdue: op.status === 'received' && isOverdue(op.accept_due),
      replyOverdue: op.status === 'accepted' && isOverdue(op.reply_due), isPublic: op.public_consent === 1, phoneLast4: op.phone_last4,
    },
    recipient: recipientName(t, locale, label), timeline, merged,
    attachments: files.map((f) => ({ ...f, url: `/opinions/files/${f.id}/${encodeURIComponent(f.filename)}` })),
    open: OPEN_STATUSES.includes(op.status), canRate: op.status === 'replied',
  };
}
