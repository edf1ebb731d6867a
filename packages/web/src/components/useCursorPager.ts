/** Previous/next paging over a keyset-cursor endpoint: remembers the cursor of every page visited. */
import { type DependencyList, useState } from "react";
import type { Page } from "../api/types.ts";
import { useAsync } from "./hooks.ts";

export const TABLE_PAGE_SIZE = 20;

export function useCursorPager<T, P extends Page<T> = Page<T>>(load: (cursor: string | undefined) => Promise<P>, deps: DependencyList) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [resetKey, setResetKey] = useState(deps);
  // New filters start again at page 1.
  if (deps.length !== resetKey.length || deps.some((d, i) => !Object.is(d, resetKey[i]))) {
    setResetKey(deps);
    setCursors([undefined]);
  }
  const cursor = cursors[cursors.length - 1];
  const page = useAsync(() => load(cursor), [...deps, cursor]);
  return {
    ...page,
    pageNumber: cursors.length,
    hasPrev: cursors.length > 1,
    hasNext: Boolean(page.data?.nextCursor),
    next: () => {
      const c = page.data?.nextCursor;
      if (c) setCursors((cs) => [...cs, c]);
    },
    prev: () => setCursors((cs) => (cs.length > 1 ? cs.slice(0, -1) : cs)),
  };
}
