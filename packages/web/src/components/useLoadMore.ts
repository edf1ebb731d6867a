/** "Load more" over a keyset-cursor endpoint: pages are appended. */
import { type DependencyList, useEffect, useRef, useState } from "react";
import type { Page } from "../api/types.ts";

export function useLoadMore<T>(load: (cursor: string | undefined) => Promise<Page<T>>, deps: DependencyList) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const seq = useRef(0);

  async function fetchPage(cursor: string | undefined, append: boolean) {
    const my = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const p = await load(cursor);
      if (my !== seq.current) return;
      setItems((xs) => (append ? [...xs, ...p.items] : p.items));
      setNext(p.nextCursor);
    } catch (e) {
      if (my === seq.current) setError(e);
    } finally {
      if (my === seq.current) setLoading(false);
    }
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: callers pass the deps of `load`
  useEffect(() => {
    setItems([]);
    setNext(null);
    void fetchPage(undefined, false);
  }, [...deps]);

  return {
    items,
    loading,
    error,
    hasMore: next !== null,
    more: () => {
      if (next) void fetchPage(next, true);
    },
    reload: () => void fetchPage(undefined, false),
  };
}
