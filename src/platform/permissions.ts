import type { MembershipRole } from '../db/schema.js';
import type { CurrentUser } from './auth/current-user.js';
import { ForbiddenError, UnauthenticatedError } from './errors.js';

// Role × body × action. Services call `assertCan` with the body the action touches and
// that body's ancestors (a committee's staff act on its special committees and groups).

export const ACTIONS = [
  'admin.structure',     // regions, bodies, sectors, terms
  'admin.users',         // users, roles, memberships, member import
  'admin.tokens',        // API tokens
  'admin.outbox',        // SMS/e-mail outbox, including development login codes
  'content.publish',     // pages, news, announcements, attachments of a body
  'pii.view',            // unmasked phone numbers and names
  'privacy.handle',      // erasure requests
  'opinion.handle',      // a body's opinion inbox: accept, reply, assign, forward, merge
  'opinion.supervise',   // overdue board, ratings, exports, hidden opinions of the bodies below
  'opinion.configure',   // categories and their clocks
  'action.answer',       // a department's action items: progress, answer, done
  'consultation.manage', // topic calls, annual plans, consultations of a body: stages, registration, sign-in, outcome
] as const;
export type Action = (typeof ACTIONS)[number];

/** Which membership roles grant an action within the body (and the bodies below it). */
const GRANTS: Record<Action, readonly MembershipRole[]> = {
  'admin.structure': ['admin'],
  'admin.users': ['admin'],
  'admin.tokens': ['admin'],
  'admin.outbox': ['admin'],
  'content.publish': ['admin', 'staff', 'council_facilitator'],
  'pii.view': ['admin', 'staff'],
  'privacy.handle': ['admin'],
  'opinion.handle': ['admin', 'staff', 'council_facilitator'],
  'opinion.supervise': ['admin', 'staff'],
  'opinion.configure': ['admin'],
  'action.answer': ['admin', 'department_handler'],
  'consultation.manage': ['admin', 'staff', 'council_facilitator'],
};

/** Actions that are organisation-wide: a grant must sit on a root body (the committee). */
const GLOBAL: ReadonlySet<Action> = new Set(['admin.structure', 'admin.users', 'admin.tokens', 'admin.outbox', 'privacy.handle', 'pii.view', 'opinion.configure']);

export interface Scope {
  /** The body acted on followed by its ancestors; empty for organisation-wide actions. */
  bodyPath: number[];
  /** Root bodies (no parent): organisation-wide grants must be on one of these. */
  rootBodyIds: number[];
}

export function can(user: CurrentUser | null, action: Action, scope: Scope): boolean {
  if (!user) return false;
  if (user.isAdmin) return true;
  const roles = GRANTS[action];
  const bodies = GLOBAL.has(action) ? scope.rootBodyIds : scope.bodyPath;
  return user.memberships.some((m) => roles.includes(m.role) && bodies.includes(m.bodyId));
}

export function assertCan(user: CurrentUser | null, action: Action, scope: Scope): asserts user is CurrentUser {
  if (!user) throw new UnauthenticatedError();
  if (!can(user, action, scope)) throw new ForbiddenError();
}
