/**
 * A promoter's team as an ECharts tree, expanded lazily: a node's direct invitees are fetched (a page at a time) when it
 * is clicked, and a "more" node fetches the next page. Only expanded nodes are drawn, so a team of thousands stays usable;
 * the chart grows in height with the visible leaves and the card scrolls. Loaded through TeamTree.tsx, lazily.
 */

import { Button } from "antd";
import type { TreeSeriesOption } from "echarts/charts";
import { TreeChart } from "echarts/charts";
import type { TooltipComponentOption } from "echarts/components";
import { TooltipComponent } from "echarts/components";
import { type ComposeOption, init, use } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { get } from "../api/client.ts";
import type { TeamPage } from "../api/types.ts";

use([TreeChart, TooltipComponent, CanvasRenderer]);

type TreeOption = ComposeOption<TreeSeriesOption | TooltipComponentOption>;

/** Members fetched per click (a page of direct invitees). */
export const TREE_PAGE = 50;
const ROW_PX = 26;

interface Branch {
  children: { id: string; name: string }[];
  next: string | null;
  total: number;
  open: boolean;
}

interface TreeNode {
  name: string;
  id: string;
  children?: TreeNode[];
  collapsed?: boolean;
  itemStyle?: { color: string };
}

export default function TeamTreeCanvas(props: { rootId: string; rootName: string; programId: string; moreLabel: (n: number) => string }) {
  const { rootId, rootName, programId, moreLabel } = props;
  const [branches, setBranches] = useState<Map<string, Branch>>(new Map());
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init> | null>(null);

  const load = useCallback(
    async (id: string, cursor: string | null) => {
      const pageNow = await get<TeamPage>(`/v1/promoters/${encodeURIComponent(id)}/team`, {
        programId,
        level: 1,
        limit: TREE_PAGE,
        cursor,
      });
      setBranches((prev) => {
        const next = new Map(prev);
        const old = prev.get(id);
        const kids = pageNow.items.map((m) => ({ id: m.promoterId, name: m.name }));
        next.set(id, {
          children: [...(cursor && old ? old.children : []), ...kids],
          next: pageNow.nextCursor,
          total: pageNow.counts.level1,
          open: true,
        });
        return next;
      });
    },
    [programId],
  );

  useEffect(() => {
    setBranches(new Map());
    void load(rootId, null);
  }, [rootId, load]);

  const onClick = useCallback(
    (id: string) => {
      if (id.startsWith("more:")) {
        const parent = id.slice(5);
        void load(parent, branches.get(parent)?.next ?? null);
        return;
      }
      const b = branches.get(id);
      if (!b) void load(id, null);
      else setBranches((prev) => new Map(prev).set(id, { ...b, open: !b.open }));
    },
    [branches, load],
  );

  const { data, leaves } = useMemo(() => {
    let count = 0;
    const build = (id: string, name: string): TreeNode => {
      const b = branches.get(id);
      if (!b?.open || b.children.length === 0) {
        count++;
        return { id, name, collapsed: true, children: b && b.children.length === 0 ? [] : undefined };
      }
      const children = b.children.map((c) => build(c.id, c.name));
      if (b.next) {
        count++;
        children.push({ id: `more:${id}`, name: moreLabel(b.total - b.children.length), itemStyle: { color: "#999" } });
      }
      return { id, name, children, collapsed: false };
    };
    const tree = build(rootId, rootName);
    return { data: tree, leaves: count };
  }, [branches, rootId, rootName, moreLabel]);

  const height = Math.max(240, leaves * ROW_PX + 40);

  useEffect(() => {
    if (!ref.current) return;
    const c = init(ref.current);
    chart.current = c;
    return () => {
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.off("click");
    c.on("click", (p) => {
      const id = (p.data as { id?: string } | undefined)?.id;
      if (id) onClick(id);
    });
  }, [onClick]);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.resize({ height });
    const option: TreeOption = {
      tooltip: { trigger: "item" },
      series: [
        {
          type: "tree",
          data: [data],
          top: 20,
          bottom: 20,
          left: 80,
          right: 160,
          orient: "LR",
          symbolSize: 9,
          expandAndCollapse: false,
          animationDuration: 200,
          label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 12 },
          leaves: { label: { position: "right", verticalAlign: "middle", align: "left" } },
        },
      ],
    };
    c.setOption(option, { notMerge: true });
  }, [data, height]);

  const root = branches.get(rootId);
  return (
    <div>
      {root?.next ? (
        <Button size="small" onClick={() => onClick(`more:${rootId}`)} data-testid="team-tree-more" style={{ marginBottom: 8 }}>
          {moreLabel(root.total - root.children.length)}
        </Button>
      ) : null}
      <div style={{ maxHeight: 640, overflow: "auto" }} data-testid="team-tree-scroll">
        <div
          ref={ref}
          data-testid="team-tree"
          data-leaves={leaves}
          data-nodes={[...branches.values()].reduce((a, b) => a + b.children.length, 0)}
          style={{ width: "100%", height }}
        />
      </div>
    </div>
  );
}
