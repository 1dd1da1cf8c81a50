import type { ComponentChildren } from 'preact';

/**
 * A table that may scroll sideways on a phone: focusable so keyboard users can scroll it.
 * No landmark role, since a page may hold many tables.
 */
export function TableScroll({ children }: { children: ComponentChildren }) {
  return <div class="xs-table-wrap" tabIndex={0}>{children}</div>;
}
