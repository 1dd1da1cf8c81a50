import type { Catalog } from '../../../../web/i18n/index.js';
import { isOverdue, onTime } from '../../clocks.js';
import type { PublicListItem } from '../../public-queries.js';

// Small pieces the public pages share.

export function kindLabel(t: Catalog, kind: string): string {
  return kind === 'request' ? t.opinions.kindRequest : kind === 'suggestion' ? t.opinions.kindSuggestion : t.opinions.kindOpinion;
}

export function ratingLabel(t: Catalog, v: number | null): string {
  return v === 3 ? t.opinions.ratingSatisfied : v === 2 ? t.opinions.ratingBasically : v === 1 ? t.opinions.ratingNotSatisfied : '';
}

/** Whether the reply came (or is due) on time, as the list and the page say it. */
export function replyState(t: Catalog, o: Pick<PublicListItem, 'firstRepliedAt' | 'replyDue' | 'status'>, now = new Date()): { text: string; late: boolean } {
  const m = t.opinionsPublic;
  if (o.firstRepliedAt) return onTime(o.firstRepliedAt, o.replyDue) ? { text: m.repliedOnTime, late: false } : { text: m.repliedLate, late: true };
  if (o.status === 'closed') return { text: '', late: false };
  return isOverdue(o.replyDue, now) ? { text: m.replyOverdue, late: true } : { text: m.awaitingReply, late: false };
}

/** A deadline and whether it was met: 2026-03-04（按期）. */
export function dueText(t: Catalog, due: string, doneAt: string | null, now = new Date()): string {
  const m = t.opinionsPublic;
  const state = doneAt ? (onTime(doneAt, due) ? m.dueMet : m.dueLate) : isOverdue(due, now) ? m.dueOverdue : m.duePending;
  return m.dueLine(due, state);
}

/** The first `n` characters (not UTF-16 units) of a text on one line. */
export function excerpt(text: string, n: number): string {
  const cs = Array.from(text.replace(/\s+/gu, ' ').trim());
  return cs.length > n ? `${cs.slice(0, n).join('')}…` : cs.join('');
}

/** A text with its line breaks kept, as paragraphs. */
export function Paragraphs({ text }: { text: string }) {
  return <>{text.split(/\n+/).filter((p) => p.trim()).map((p, i) => <p key={i}>{p}</p>)}</>;
}
