/**
 * The line chart, behind a lazy boundary: ECharts (several hundred KB) is a chunk of its own, downloaded when a chart is
 * first drawn, so a first visit to the console (or any page without a chart) does not wait for it.
 */
import type { LineSeriesOption } from "echarts/charts";
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from "echarts/components";
import type { ComposeOption } from "echarts/core";
import { lazy, Suspense } from "react";

export type LineChartOption = ComposeOption<LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

const Canvas = lazy(() => import("./EChartCanvas.tsx"));

export function EChart(props: { option: LineChartOption; height?: number; testId?: string }) {
  const height = props.height ?? 320;
  return (
    <Suspense fallback={<div style={{ width: "100%", height }} />}>
      <Canvas {...props} />
    </Suspense>
  );
}
