/** Walks a cursor-paginated list endpoint, newest first, until a stop condition or a hard cap. */
import { get } from "./client.ts";
import type { Page } from "./types.ts";

/** Page size used for bulk reads (the API's maximum). */
export const BULK_PAGE_SIZE = 200;
/** Never read more than this many pages for one view (200 × 50 = 10,000 rows). */
export const BULK_PAGES_MAX = 50;

export interface Collected<T> {
  items: T[];
  /** True when the cap stopped the walk before the data did. */
  truncated: boolean;
}

export async function collectPages<T>(
  path: string,
  query: Record<string, string | undefined>,
  stop: (item: T) => boolean = () => false,
): Promise<Collected<T>> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < BULK_PAGES_MAX; i++) {
    const page = await get<Page<T>>(path, { ...query, limit: BULK_PAGE_SIZE, cursor });
    for (const it of page.items) {
      if (stop(it)) return { items, truncated: false };
      items.push(it);
    }
    if (!page.nextCursor) return { items, truncated: false };
    cursor = page.nextCursor;
  }
  return { items, truncated: true };
}

/** Offset-paginated lists (promoters, customers). */
export async function collectOffset<T>(path: string, query: Record<string, string | undefined>): Promise<Collected<T>> {
  const items: T[] = [];
  for (let i = 0; i < BULK_PAGES_MAX; i++) {
    const page = await get<{ items: T[] }>(path, { ...query, limit: BULK_PAGE_SIZE, offset: i * BULK_PAGE_SIZE });
    items.push(...page.items);
    if (page.items.length < BULK_PAGE_SIZE) return { items, truncated: false };
  }
  return { items, truncated: true };
}
