import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MEMBERSHIP_ROLES, type MembershipRole } from '../db/schema.js';
import type { CurrentUser } from './auth/current-user.js';
import { ACTIONS, type Action, can } from './permissions.js';

// Bodies: 1 = committee (root), 2 = a liaison group under it, 3 = another root (a department tree).
const scopeOf = (body: number | null) => ({ bodyPath: body === 2 ? [2, 1] : body === null ? [] : [body], rootBodyIds: [1, 3] });
const userWith = (role: MembershipRole | null, bodyId = 1, isAdmin = false): CurrentUser => ({
  id: 1, displayName: 'x', isAdmin, hasPassword: true, totpEnabled: false, memberships: role ? [{ bodyId, role, termId: null }] : [],
});

// The expected matrix, written out independently of GRANTS so a change to either is noticed.
const EXPECTED: Record<Action, MembershipRole[]> = {
  'admin.structure': ['admin'], 'admin.users': ['admin'], 'admin.tokens': ['admin'], 'admin.outbox': ['admin'],
  'content.publish': ['admin', 'staff', 'council_facilitator'], 'pii.view': ['admin', 'staff'], 'privacy.handle': ['admin'],
  'opinion.handle': ['admin', 'staff', 'council_facilitator'], 'opinion.supervise': ['admin', 'staff'],
  'opinion.configure': ['admin'], 'action.answer': ['admin', 'department_handler'],
  'consultation.manage': ['admin', 'staff', 'council_facilitator'],
};

describe('permissions: role × body × action', () => {
  it('nobody anonymous may do anything; a site administrator may do everything', () => {
    for (const a of ACTIONS) {
      assert.equal(can(null, a, scopeOf(1)), false);
      assert.equal(can(userWith(null, 1, true), a, scopeOf(2)), true);
    }
  });

  it('each role on the committee gets exactly its grants', () => {
    for (const role of MEMBERSHIP_ROLES) for (const a of ACTIONS) {
      assert.equal(can(userWith(role, 1), a, scopeOf(1)), EXPECTED[a].includes(role), `${role} ${a}`);
    }
  });

  it('a grant on a body reaches the bodies below it, never above or beside it', () => {
    const staffOfGroup = userWith('staff', 2);
    assert.equal(can(staffOfGroup, 'content.publish', scopeOf(2)), true);
    assert.equal(can(staffOfGroup, 'content.publish', scopeOf(1)), false);
    assert.equal(can(userWith('staff', 1), 'content.publish', scopeOf(2)), true);
    assert.equal(can(userWith('staff', 3), 'content.publish', scopeOf(2)), false);
  });

  it('organisation-wide actions need the grant on a root body', () => {
    assert.equal(can(userWith('admin', 2), 'admin.users', scopeOf(null)), false);
    assert.equal(can(userWith('admin', 1), 'admin.users', scopeOf(null)), true);
    assert.equal(can(userWith('staff', 2), 'pii.view', scopeOf(null)), false);
  });
});
