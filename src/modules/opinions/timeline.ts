import type { Executor } from '../../db/database.js';
import { readStream } from '../../platform/timeline/audit.js';
import type { Catalog } from '../../web/i18n/index.js';
import type { OpinionRow } from './access.js';

// An opinion's timeline as people see it: the hash-chained events, with the texts they refer
// to and who acted (a body or a member, never a citizen's name). The public sees replies and
// reasons but not what the sender added or was asked (that may be personal).

export type Audience = 'sender' | 'handler' | 'public';

export interface TimelineItem {
  id: number;
  at: string;
  action: string;
  /** Who acted, as shown: a body's or member's name; null for the sender or the system. */
  actor: string | null;
  /** The text of the step (a reply, a reason, a question…), when this audience may see it. */
  text: string | null;
  /** What the step is about: the body or member it went to, the department, a due date. */
  detail: { to?: string | null; department?: string | null; dueOn?: string | null; actionItemId?: number | null; mergedCode?: string | null; rating?: { handling: number; result: number } | null };
  hash: string;
}

const PRIVATE_TEXT = new Set(['addition', 'question', 'note']);

export async function opinionTimeline(db: Executor, op: OpinionRow, audience: Audience): Promise<TimelineItem[]> {
  const events = await readStream(db, 'opinion', op.id);
  const entries = await db.selectFrom('opinion_entries').selectAll().where('opinion_id', '=', op.id).execute();
  const entryById = new Map(entries.map((e) => [e.id, e]));
  const bodyIds = new Set<number>();
  const userIds = new Set<number>();
  for (const e of events) {
    for (const k of ['toBodyId', 'departmentId', 'handlerBodyId']) if (typeof e.data[k] === 'number') bodyIds.add(e.data[k] as number);
    for (const k of ['toUserId', 'handlerUserId']) if (typeof e.data[k] === 'number') userIds.add(e.data[k] as number);
    if (e.actorId !== null) userIds.add(e.actorId);
  }
  for (const en of entries) if (en.author_body_id) bodyIds.add(en.author_body_id);
  const actionIds = events.map((e) => e.data.actionItemId).filter((x): x is number => typeof x === 'number');
  const mergedIds = events.map((e) => e.data.intoId ?? e.data.opinionId).filter((x): x is number => typeof x === 'number');
  const [bodies, users, members, merged] = await Promise.all([
    bodyIds.size ? db.selectFrom('bodies').select(['id', 'name']).where('id', 'in', [...bodyIds]).execute() : [],
    userIds.size ? db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...userIds]).execute() : [],
    userIds.size ? db.selectFrom('memberships').select('user_id').distinct().where('user_id', 'in', [...userIds]).execute() : [],
    mergedIds.length ? db.selectFrom('opinions').select(['id', 'tracking_code']).where('id', 'in', mergedIds).execute() : [],
  ]);
  const bodyName = new Map(bodies.map((b) => [b.id, b.name]));
  const userName = new Map(users.map((u) => [u.id, u.display_name]));
  const hasPosition = new Set(members.map((m) => m.user_id));
  const codeOf = new Map(merged.map((m) => [m.id, m.tracking_code]));
  void actionIds;
  return events.map((e) => {
    const entry = typeof e.data.entryId === 'number' ? entryById.get(e.data.entryId) : undefined;
    const byCitizen = e.actorId !== null && e.actorId === op.citizen_id && !hasPosition.has(e.actorId);
    let actor: string | null = null;
    if (!byCitizen && e.actorId !== null) {
      // A person with a position is named (members are public); anyone else acts for a body.
      actor = entry?.author_body_id ? bodyName.get(entry.author_body_id) ?? null : null;
      const name = userName.get(e.actorId) ?? null;
      actor = audience === 'public' ? actor ?? name : name ?? actor;
    }
    let textOut: string | null = entry?.body ?? null;
    if (audience === 'public' && entry && PRIVATE_TEXT.has(entry.kind)) textOut = null;
    const d = e.data;
    const to = typeof d.toUserId === 'number' ? userName.get(d.toUserId) ?? null : typeof d.toBodyId === 'number' ? bodyName.get(d.toBodyId) ?? null
      : typeof d.handlerUserId === 'number' ? userName.get(d.handlerUserId) ?? null : typeof d.handlerBodyId === 'number' ? bodyName.get(d.handlerBodyId) ?? null : null;
    return {
      id: e.id, at: e.createdAt, action: e.action, actor, text: textOut, hash: e.hash,
      detail: {
        to,
        department: typeof d.departmentId === 'number' ? bodyName.get(d.departmentId) ?? null : null,
        dueOn: typeof d.dueOn === 'string' ? d.dueOn : typeof d.acceptDue === 'string' ? d.acceptDue : typeof d.replyDue === 'string' ? d.replyDue : null,
        actionItemId: typeof d.actionItemId === 'number' ? d.actionItemId : null,
        mergedCode: typeof d.intoId === 'number' ? codeOf.get(d.intoId) ?? null : typeof d.opinionId === 'number' ? codeOf.get(d.opinionId) ?? null : null,
        rating: typeof d.handling === 'number' && typeof d.result === 'number' ? { handling: d.handling, result: d.result } : null,
      },
    };
  });
}

/** The localised name of a timeline action. */
export function actionLabel(t: Catalog, action: string): string {
  const m = t.opinions;
  const labels: Record<string, string> = {
    submitted: m.evSubmitted, accepted: m.evAccepted, declined: m.evDeclined, assigned: m.evAssigned, routed: m.evRouted,
    question: m.evQuestion, citizen_added: m.evCitizenAdded, replied: m.evReplied, forwarded: m.evForwarded,
    action_progress: m.evActionProgress, action_answered: m.evActionAnswered, action_done: m.evActionDone,
    merged: m.evMerged, absorbed: m.evAbsorbed, withdrawn: m.evWithdrawn, rated: m.evRated, reopened: m.evReopened,
    closed: m.evClosed, reminded: m.evReminded, escalated: m.evEscalated, hidden: m.evHidden, shown: m.evShown,
    erased: m.evErased, report_drafted: m.evReportDrafted,
  };
  return labels[action] ?? action;
}

export function statusLabel(t: Catalog, status: string): string {
  const m = t.opinions;
  const labels: Record<string, string> = {
    received: m.statusReceived, accepted: m.statusAccepted, declined: m.statusDeclined, replied: m.statusReplied,
    closed: m.statusClosed, withdrawn: m.statusWithdrawn, merged: m.statusMerged,
  };
  return labels[status] ?? status;
}
