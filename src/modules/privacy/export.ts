import type { Executor } from '../../db/database.js';
import { NotFoundError } from '../../platform/errors.js';

/** Everything the platform holds on one person, as they may download it (PIPL art. 45). */
export interface PersonalData {
  exportedAt: string;
  account: {
    id: number; displayName: string; username: string | null; status: string; isAdmin: boolean;
    hasPassword: boolean; totpEnabled: boolean; locale: string | null; createdAt: string; erasedAt: string | null;
  };
  personalData: { phone: string | null; realName: string | null; idNumber: string | null; email: string | null; updatedAt: string } | null;
  memberships: { id: number; bodyId: number; body: string; role: string; termId: number | null; title: string | null; startsOn: string | null; endsOn: string | null }[];
  memberProfile: Record<string, unknown> | null;
  notifications: { id: number; kind: string; title: string; body: string; link: string | null; createdAt: string; readAt: string | null }[];
  smsMessages: { id: number; phone: string; text: string; status: string; createdAt: string; sentAt: string | null }[];
  auditEvents: { id: number; streamType: string; streamId: string; action: string; actorId: number | null; data: unknown; createdAt: string }[];
  dataRequests: { id: number; kind: string; status: string; reason: string; createdAt: string; handledAt: string | null; note: string | null }[];
  opinions: { id: number; trackingCode: string; title: string; status: string; createdAt: string; updatedAt: string; closedAt: string | null }[];
}

const parse = (s: string): unknown => {
  try { return JSON.parse(s); } catch { return s; }
};

/** Collects the export. Credentials (password hash, TOTP secret) are reported as present or not, never copied out. */
export async function collectPersonalData(db: Executor, userId: number): Promise<PersonalData> {
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!user) throw new NotFoundError();
  const pii = await db.selectFrom('user_pii').selectAll().where('user_id', '=', userId).executeTakeFirst();
  const memberships = await db.selectFrom('memberships').innerJoin('bodies', 'bodies.id', 'memberships.body_id')
    .select(['memberships.id', 'memberships.body_id', 'bodies.name', 'memberships.role', 'memberships.term_id', 'memberships.title', 'memberships.starts_on', 'memberships.ends_on'])
    .where('memberships.user_id', '=', userId).orderBy('memberships.id').execute();
  const profile = await db.selectFrom('member_profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
  const notifications = await db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').execute();
  const sms = pii?.phone
    ? await db.selectFrom('sms_messages').selectAll().where('phone', '=', pii.phone).orderBy('id', 'desc').execute() : [];
  const byActor = await db.selectFrom('audit_events').selectAll().where('actor_id', '=', userId).execute();
  const aboutUser = await db.selectFrom('audit_events').selectAll().where('stream_type', '=', 'user').where('stream_id', '=', String(userId)).execute();
  const events = new Map([...byActor, ...aboutUser].map((e) => [Number(e.id), e]));
  const opinions = await db.selectFrom('opinions').select(['id', 'tracking_code', 'title', 'status', 'created_at', 'updated_at', 'closed_at'])
    .where('citizen_id', '=', userId).orderBy('created_at', 'desc').execute();
  const requests = await db.selectFrom('data_requests').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').execute();
  return {
    exportedAt: new Date().toISOString(),
    account: {
      id: user.id, displayName: user.display_name, username: user.username, status: user.status, isAdmin: user.is_admin === 1,
      hasPassword: user.password_hash !== null, totpEnabled: user.totp_enabled === 1, locale: user.locale,
      createdAt: user.created_at, erasedAt: user.erased_at,
    },
    personalData: pii ? { phone: pii.phone, realName: pii.real_name, idNumber: pii.id_number, email: pii.email, updatedAt: pii.updated_at } : null,
    memberships: memberships.map((m) => ({
      id: m.id, bodyId: m.body_id, body: m.name, role: m.role, termId: m.term_id, title: m.title, startsOn: m.starts_on, endsOn: m.ends_on,
    })),
    memberProfile: profile ? { ...profile } : null,
    notifications: notifications.map((n) => ({ id: n.id, kind: n.kind, title: n.title, body: n.body, link: n.link, createdAt: n.created_at, readAt: n.read_at })),
    smsMessages: sms.map((m) => ({ id: m.id, phone: m.phone, text: m.text, status: m.status, createdAt: m.created_at, sentAt: m.sent_at })),
    auditEvents: [...events.values()].sort((a, b) => Number(b.id) - Number(a.id)).map((e) => ({
      id: Number(e.id), streamType: e.stream_type, streamId: e.stream_id, action: e.action, actorId: e.actor_id, data: parse(e.data), createdAt: e.created_at,
    })),
    dataRequests: requests.map((r) => ({ id: r.id, kind: r.kind, status: r.status, reason: r.reason, createdAt: r.created_at, handledAt: r.handled_at, note: r.note })),
    opinions: opinions.map((o) => ({ id: o.id, trackingCode: o.tracking_code, title: o.title, status: o.status, createdAt: o.created_at, updatedAt: o.updated_at, closedAt: o.closed_at })),
  };
}
