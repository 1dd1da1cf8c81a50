import { maskPhone } from '../../platform/validation.js';

/**
 * The phone number as this viewer may see it: in full for the person it belongs to, or for
 * a viewer the caller found to hold 'pii.view' (`can(viewer, 'pii.view', scope)`); masked
 * (138****5678) for everyone else.
 */
export function phoneForViewer(
  viewer: { id: number } | null,
  phone: { ownerId: number; phone: string | null | undefined },
  canViewPii: boolean,
): string {
  if (!phone.phone) return '';
  if (canViewPii || (viewer !== null && viewer.id === phone.ownerId)) return phone.phone;
  return maskPhone(phone.phone);
}
