import type { VNode } from 'preact';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { type PageCtx, PageContext } from './page-context.js';

/** Renders a full HTML document; all text is escaped by Preact unless a component opts out. */
export function renderDocument(ctx: PageCtx, page: VNode): string {
  return `<!doctype html>${renderToString(h(PageContext.Provider, { value: ctx }, page))}`;
}
