import type { ComponentChildren } from 'preact';

/**
 * `text` with every occurrence of the terms wrapped in <mark>. Built from Preact nodes, so
 * the text stays escaped; overlapping matches (bigrams of one word) merge into one mark.
 */
export function Highlight({ text, terms }: { text: string; terms: string[] }) {
  const useful = terms.filter((t) => t.length > 0);
  if (!useful.length) return <>{text}</>;
  const pattern = new RegExp(useful.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'giu');
  const marked = new Uint8Array(text.length);
  for (const m of text.matchAll(pattern)) marked.fill(1, m.index, m.index + m[0].length);
  const parts: ComponentChildren[] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || marked[i] !== marked[start]) {
      const piece = text.slice(start, i);
      parts.push(marked[start] ? <mark key={start}>{piece}</mark> : piece);
      start = i;
    }
  }
  return <>{parts}</>;
}
