/**
 * A team list (GET /v1/me/team or /v1/promoters/{id}/team), each level paged on its own with "load more", and the
 * whole team's size per level from whichever page came back last. `path` null: no team to show.
 */
import { type DependencyList, useState } from "react";
import { get } from "../api/client.ts";
import type { TeamPage } from "../api/types.ts";
import { useLoadMore } from "./useLoadMore.ts";

export function useTeamPages(path: string | null, query: Record<string, string>, pageSize: number, deps: DependencyList) {
  const [counts, setCounts] = useState<TeamPage["counts"] | null>(null);
  const load =
    (level: 1 | 2) =>
    async (cursor: string | undefined): Promise<TeamPage> => {
      if (path === null) return { items: [], nextCursor: null, counts: { level1: 0, level2: 0 } };
      const p = await get<TeamPage>(path, { ...query, level, limit: pageSize, cursor });
      setCounts(p.counts);
      return p;
    };
  const level1 = useLoadMore(load(1), deps);
  const level2 = useLoadMore(load(2), deps);
  return {
    counts,
    levels: { 1: level1, 2: level2 } as const,
    /** Nothing to show yet: no counts and no error. */
    loading: counts === null && !level1.error && !level2.error,
    empty: counts !== null && counts.level1 + counts.level2 === 0,
  };
}

export type TeamLevelList = ReturnType<typeof useTeamPages>["levels"][1];
