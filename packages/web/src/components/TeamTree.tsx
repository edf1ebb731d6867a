/** A promoter's team tree, behind a lazy boundary: its ECharts code is downloaded when a team is first drawn. */
import { Spin } from "antd";
import { lazy, Suspense } from "react";

const Canvas = lazy(() => import("./TeamTreeCanvas.tsx"));

export function TeamTree(props: { rootId: string; rootName: string; programId: string; moreLabel: (n: number) => string }) {
  return (
    <Suspense fallback={<Spin />}>
      <Canvas {...props} />
    </Suspense>
  );
}
