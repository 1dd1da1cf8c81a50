import type { ComponentChildren } from 'preact';
import { usePage } from '../page-context.js';

/** A table that may scroll sideways on a phone: keyboard users can reach and scroll it. */
export function TableScroll({ label, children }: { label?: string; children: ComponentChildren }) {
  const { t } = usePage();
  return <div class="xs-table-wrap" tabIndex={0} role="region" aria-label={label ?? t.common.scrollableTable}>{children}</div>;
}
