/** A minimal ECharts host: only the line chart and the parts it needs are bundled (loaded through EChart.tsx, lazily). */

import { LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { init, use } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

import type { LineChartOption } from "./EChart.tsx";

use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export default function EChartCanvas({ option, height = 320, testId }: { option: LineChartOption; height?: number; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init> | null>(null);

  useEffect(() => {
    if (!ref.current) return;
    const c = init(ref.current);
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={ref} data-testid={testId} style={{ width: "100%", height }} />;
}
