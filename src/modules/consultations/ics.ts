// An iCalendar (RFC 5545) writer for the plan's calendar feed: text values escaped
// (§3.3.11), content lines folded at 75 octets without splitting a UTF-8 character
// (§3.1), CRLF line ends, and every event with a stable UID and a DTSTAMP (§3.6.1).

export interface IcsEvent {
  uid: string;
  /** When this event's data last changed (UTC ISO); also its DTSTAMP, so the feed is stable. */
  stamp: string;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  /** Timed event: UTC ISO instants. */
  start?: string;
  end?: string;
  /** All-day event: 'YYYY-MM-DD', `endDate` exclusive as RFC 5545 wants. */
  startDate?: string;
  endDate?: string;
  /** Shown as free time (an item that occupies a quarter, not a meeting). */
  transparent?: boolean;
  categories?: string[];
}

export interface IcsCalendar { name: string; prodId: string; events: IcsEvent[] }

/** TEXT value escaping: backslash, semicolon, comma, newline. */
export function escapeText(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(/[\\;,\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/**
 * Folds a content line: no physical line longer than 75 octets; continuation lines begin
 * with one space (which counts toward their 75). Splits only between characters.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** 2026-03-01T01:30:00.000Z → 20260301T013000Z */
export function utcStamp(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a moment: ${iso}`);
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const dateValue = (d: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new RangeError(`not a date: ${d}`);
  return d.replace(/-/g, '');
};

/** A URI value is not TEXT-escaped; anything that could break the line is refused. */
const safeUri = (u: string): string | null => (/^https?:\/\/[^\s"<>\\]+$/.test(u) ? u : null);

export function renderCalendar(cal: IcsCalendar): string {
  const lines: string[] = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${escapeText(cal.prodId)}`, 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(cal.name)}`,
  ];
  for (const e of cal.events) {
    lines.push('BEGIN:VEVENT', `UID:${escapeText(e.uid)}`, `DTSTAMP:${utcStamp(e.stamp)}`);
    if (e.start) {
      lines.push(`DTSTART:${utcStamp(e.start)}`);
      if (e.end) lines.push(`DTEND:${utcStamp(e.end)}`);
    } else if (e.startDate) {
      lines.push(`DTSTART;VALUE=DATE:${dateValue(e.startDate)}`);
      if (e.endDate) lines.push(`DTEND;VALUE=DATE:${dateValue(e.endDate)}`);
    }
    lines.push(`SUMMARY:${escapeText(e.summary)}`);
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
    const url = e.url ? safeUri(e.url) : null;
    if (url) lines.push(`URL:${url}`);
    if (e.categories?.length) lines.push(`CATEGORIES:${e.categories.map(escapeText).join(',')}`);
    if (e.transparent) lines.push('TRANSP:TRANSPARENT');
    lines.push(`LAST-MODIFIED:${utcStamp(e.stamp)}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
