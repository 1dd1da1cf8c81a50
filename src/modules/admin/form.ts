import type { FastifyReply, FastifyRequest } from 'fastify';
import { type FunctionComponent, type VNode, h } from 'preact';
import { ValidationError } from '../../platform/errors.js';
import type { FormState } from '../../web/components/fields.js';

/** The submitted fields as plain values (urlencoded or multipart), minus the CSRF token. */
export function formValues(body: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!body || typeof body !== 'object') return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === '_csrf') continue;
    out[k] = v && typeof v === 'object' && 'value' in v && !('file' in v) ? (v as { value: unknown }).value : v;
  }
  return out;
}

/**
 * Runs a form submission: on success redirect (303) to what `run` returns; on a validation
 * error re-render the form with the values kept and the issues listed (400).
 */
export async function submitForm(
  req: FastifyRequest, reply: FastifyReply,
  run: (values: Record<string, unknown>) => Promise<string>,
  rerender: (form: FormState) => Promise<VNode<any>> | VNode<any>,
): Promise<FastifyReply> {
  const values = formValues(req.body);
  try {
    const to = await run(values);
    return reply.redirect(to, 303);
  } catch (err) {
    if (err instanceof ValidationError) return reply.page(await rerender({ values, issues: err.issues }), 400);
    throw err;
  }
}

/** `?done=saved` after a redirect shows a confirmation; only known words are shown. */
export function doneOf(req: FastifyRequest): string | null {
  const d = (req.query as Record<string, unknown> | undefined)?.done;
  return typeof d === 'string' && /^[a-z-]{1,20}$/.test(d) ? d : null;
}

/** A page vnode for `reply.page`, with the component's props type-checked. */
export function view<P>(component: FunctionComponent<P>, props: P): VNode<any> {
  return h(component as FunctionComponent<any>, props as any);
}
