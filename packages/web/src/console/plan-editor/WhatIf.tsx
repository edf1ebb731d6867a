/** What-if of the draft beside the editor: the program's history replayed under the draft vs the plan in force. */
import { Alert, Button, Card, Col, Row, Statistic, Typography } from "antd";
import type { SimResult } from "../../api/types.ts";
import { formatRate, money, moneyDelta, roi } from "../../lib/format.ts";
import { useConsole } from "../context.tsx";
import { useEditor } from "./fields.tsx";

export function WhatIf({ sim, stale, onRun, busy }: { sim: SimResult | null; stale: boolean; onRun: () => void; busy: boolean }) {
  const { s, lang } = useEditor();
  const { program } = useConsole();
  const cur = program.currency;
  const en = lang === "en";
  return (
    <Card
      size="small"
      title={s.whatIf}
      style={{ marginTop: 16 }}
      data-testid="pe-whatif"
      extra={
        <Button size="small" onClick={onRun} loading={busy} data-testid="pe-run-whatif">
          {s.runWhatIf}
        </Button>
      }
    >
      {stale && (
        <Alert type="info" showIcon title={en ? "The draft changed: run again" : "方案已修改，请重新模拟"} style={{ marginBottom: 8 }} />
      )}
      {sim && (
        <>
          <Typography.Paragraph type="secondary">
            {en
              ? `${sim.orders} orders replayed; in force: v${sim.currentVersion ?? "—"}`
              : `按 ${sim.orders} 笔历史订单重算；现行版本 v${sim.currentVersion ?? "—"}`}
          </Typography.Paragraph>
          <Row gutter={[12, 12]}>
            <Col span={12}>
              <Statistic title={en ? "Cost now" : "现行方案佣金"} value={money(sim.current.totalCostMinor, cur)} />
            </Col>
            <Col span={12}>
              <Statistic
                title={en ? "Cost with the draft" : "草稿方案佣金"}
                value={money(sim.draft.totalCostMinor, cur)}
                data-testid="pe-sim-draft"
              />
            </Col>
            <Col span={12}>
              <Statistic
                title={en ? "Change" : "变化"}
                value={moneyDelta(sim.deltaCostMinor, cur)}
                data-testid="pe-sim-delta"
                styles={{ content: { color: sim.deltaCostMinor > 0 ? "#cf1322" : sim.deltaCostMinor < 0 ? "#389e0d" : undefined } }}
              />
            </Col>
            <Col span={12}>
              <Statistic title={en ? "Cost ratio (draft)" : "佣金占比（草稿）"} value={formatRate(sim.draft.costRatioBps)} />
            </Col>
            <Col span={12}>
              <Statistic title={en ? "ROI (draft)" : "返利ROI（草稿）"} value={roi(sim.draft.roiX100)} />
            </Col>
            <Col span={12}>
              <Statistic title={en ? "Sales" : "销售额"} value={money(sim.draft.salesMinor, cur)} />
            </Col>
          </Row>
        </>
      )}
    </Card>
  );
}
