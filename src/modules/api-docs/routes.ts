import type { FastifyPluginAsync } from 'fastify';
import { h } from 'preact';
import { cachedPage } from '../../http/cached-page.js';
import { ApiDocsPage, type Endpoint } from './page.js';

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; description?: string; maxLength?: number };
type Operation = {
  summary?: string; tags?: string[]; security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string }>;
};

/** A compact, readable rendering of a JSON schema: `{ title: string (≤120), kind?: "news" | "announcement" }`. */
export function describeSchema(s: Schema | undefined, depth = 0): string {
  if (!s) return 'any';
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const type = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  if (type === 'array') return `${describeSchema(s.items, depth)}[]`;
  if (type === 'object' || s.properties) {
    if (!s.properties || depth > 3) return 'object';
    const pad = '  '.repeat(depth + 1);
    const lines = Object.entries(s.properties).map(([k, v]) => `${pad}${k}${s.required?.includes(k) ? '' : '?'}: ${describeSchema(v, depth + 1)}`);
    return `{\n${lines.join(',\n')}\n${'  '.repeat(depth)}}`;
  }
  return `${type ?? 'any'}${s.maxLength ? ` (≤${s.maxLength})` : ''}`;
}

function endpointsOf(spec: { paths?: Record<string, Record<string, Operation>> }): Endpoint[] {
  const out: Endpoint[] = [];
  for (const [path, ops] of Object.entries(spec.paths ?? {})) {
    for (const [method, op] of Object.entries(ops)) {
      if (!op || typeof op !== 'object' || !('responses' in op || 'summary' in op)) continue;
      const content = op.requestBody?.content ?? {};
      const bodySchema = Object.values(content)[0]?.schema;
      out.push({
        method: method.toUpperCase(), path, summary: op.summary ?? '', tag: op.tags?.[0] ?? 'other',
        secured: Boolean(op.security?.length),
        params: (op.parameters ?? []).map((p) => ({ name: p.name, in: p.in, type: describeSchema(p.schema), required: Boolean(p.required), description: p.description ?? '' })),
        body: bodySchema ? describeSchema(bodySchema) : null,
        responses: Object.entries(op.responses ?? {}).map(([status, r]) => ({ status, description: r.description ?? '' })),
      });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

export const apiDocs: FastifyPluginAsync = async (app) => {
  app.get('/api/docs', async (req, reply) => {
    reply.header('content-type', 'text/html; charset=utf-8');
    return cachedPage(app.ctx, req, reply, async () => h(ApiDocsPage, { endpoints: endpointsOf(app.swagger() as never) }));
  });
};
