// Dates are stored as ISO-8601 UTC and shown in China Standard Time (UTC+8, no DST).

const CST_MS = 8 * 3600 * 1000;

function cst(iso: string): string {
  return new Date(new Date(iso).getTime() + CST_MS).toISOString();
}

/** 2026-03-01 */
export function showDate(iso: string | null | undefined): string {
  return iso ? cst(iso).slice(0, 10) : '';
}

/** 2026-03-01 09:00 */
export function showDateTime(iso: string | null | undefined): string {
  return iso ? cst(iso).slice(0, 16).replace('T', ' ') : '';
}

/** The value of an <input type="datetime-local"> for a stored time: 2026-03-01T09:00 */
export function dateTimeInputValue(iso: string | null | undefined): string {
  return iso ? cst(iso).slice(0, 16) : '';
}
