import { type FunctionComponent, type VNode, h } from 'preact';

/** A page component with its props, checked here, as the VNode reply.page and cachedPage take. */
export function view<P>(component: FunctionComponent<P>, props: P): VNode<any> {
  return h(component as FunctionComponent<any>, props as any);
}
