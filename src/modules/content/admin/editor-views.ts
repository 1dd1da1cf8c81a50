import type { FastifyReply, FastifyRequest } from 'fastify';
import { type VNode, h } from 'preact';
import type { AppContext } from '../../../context.js';
import type { FieldIssue } from '../../../platform/errors.js';
import { listAttachments, megabytes } from '../attachments/service.js';
import { dateTimeInputValue } from '../shared/dates.js';
import { editableNews } from '../news/service.js';
import { editablePage } from '../pages/service.js';
import { requireEditor } from './list.js';
import { NewsFormPage } from './views/news-form.js';
import { PageFormPage } from './views/page-form.js';

// Renders the editors: fresh (values from the stored item) or after a refused submission
// (the values the user sent, with the issues), for the form or for the upload.

export interface Refusal { values?: Record<string, unknown>; issues?: FieldIssue[]; uploadIssues?: FieldIssue[]; status: number }

export async function renderNewsEditor(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, id: number | null, refusal?: Refusal) {
  const { bodies } = await requireEditor(ctx, req.user);
  const row = id === null ? null : await editableNews(ctx, req.user, id);
  const stored = row ? { body_id: row.body_id, kind: row.kind, title: row.title, summary: row.summary, body_md: row.body_md, publish_at: dateTimeInputValue(row.publish_at) } : { kind: 'news' };
  return reply.page(h(NewsFormPage, {
    id, bodies, form: { values: refusal?.values ?? stored, issues: refusal?.issues }, uploadIssues: refusal?.uploadIssues,
    status: row ? { status: row.status, publishAt: row.publish_at, publishedAt: row.published_at } : undefined,
    attachments: row ? await listAttachments(ctx.database.db, 'news', row.id) : [], maxMb: megabytes(ctx.config.uploadMaxBytes),
  }) as VNode, refusal?.status ?? 200);
}

export async function renderPageEditor(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, id: number | null, refusal?: Refusal) {
  const { bodies } = await requireEditor(ctx, req.user);
  const row = id === null ? null : await editablePage(ctx, req.user, id);
  const stored = row ? { body_id: row.body_id, kind: row.kind, title: row.title, slug: row.slug, sort: row.sort, body_md: row.body_md, publish_at: dateTimeInputValue(row.publish_at) } : { kind: 'page', sort: 0 };
  return reply.page(h(PageFormPage, {
    id, bodies, slug: row?.slug ?? null, form: { values: refusal?.values ?? stored, issues: refusal?.issues }, uploadIssues: refusal?.uploadIssues,
    status: row ? { status: row.status, publishAt: row.publish_at, publishedAt: row.published_at } : undefined,
    attachments: row ? await listAttachments(ctx.database.db, 'page', row.id) : [], maxMb: megabytes(ctx.config.uploadMaxBytes),
  }) as VNode, refusal?.status ?? 200);
}

/** The fields a refused form re-renders with: what was typed, minus the CSRF token. */
export function keptValues(body: unknown): Record<string, unknown> {
  const { _csrf, ...rest } = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}
