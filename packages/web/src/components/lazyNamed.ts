import { type ComponentType, createElement, type LazyExoticComponent, lazy } from "react";
import { currentLanguage } from "../i18n/index.ts";

// biome-ignore lint/suspicious/noExplicitAny: a page's props are whatever the page declares
type Module<K extends string> = Record<K, ComponentType<any>>;

/**
 * React.lazy for a module's named export: the page becomes a chunk of its own, downloaded when its route is first opened
 * (what it buys: a first visit does not download every screen; see `npm run bench -- web`). Render it under <Suspense>.
 */
export function lazyNamed<M extends Module<K>, K extends keyof M & string>(load: () => Promise<M>, name: K): LazyExoticComponent<M[K]> {
  return lazy(async () => ({ default: (await load())[name] }));
}

/**
 * lazyNamed for a page built with antd: the page and antd's theme and locale (AntdRoot) are downloaded together, in
 * parallel, and the page is rendered inside them. What it buys: the shell and the portal's first screen carry no antd.
 * `bare`: AntdRoot adds no element (a dialog).
 */
export function lazyWithAntd<M extends Module<K>, K extends keyof M & string>(
  load: () => Promise<M>,
  name: K,
  bare = false,
): LazyExoticComponent<M[K]> {
  return lazy(async () => {
    const antd = import("./AntdRoot.tsx").then(async (r) => {
      if (currentLanguage() === "en") await r.loadAntdEnglish();
      return r;
    });
    const [m, { AntdRoot }] = await Promise.all([load(), antd]);
    const Page: ComponentType<object> = m[name];
    const Wrapped = (props: object) => createElement(AntdRoot, { bare }, createElement(Page, props));
    return { default: Wrapped as unknown as M[K] };
  });
}
