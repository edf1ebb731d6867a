import { type ComponentType, type LazyExoticComponent, lazy } from "react";

/**
 * React.lazy for a module's named export: the page becomes a chunk of its own, downloaded when its route is first opened
 * (what it buys: a first visit does not download every screen; see `npm run bench -- web`). Render it under <Suspense>.
 */
// biome-ignore lint/suspicious/noExplicitAny: a page's props are whatever the page declares
export function lazyNamed<M extends Record<K, ComponentType<any>>, K extends keyof M & string>(
  load: () => Promise<M>,
  name: K,
): LazyExoticComponent<M[K]> {
  return lazy(async () => ({ default: (await load())[name] }));
}
