/** What-if of the draft beside the editor: the program's history replayed under the draft vs the plan in force. */
import { Alert, Button, Card, Col, Row, Statistic, Typography } from "antd";
import type { SimResult } from "../../api/types.ts";
import { formatRate, money, moneyDelta, roi } from "../../lib/format.ts";
import { useConsole } from "../context.tsx";
import { useEditor } from "./fields.tsx";
import { fill } from "./strings.ts";

export function WhatIf({ sim, stale, onRun, busy }: { sim: SimResult | null; stale: boolean; onRun: () => void; busy: boolean }) {
  const { s } = useEditor();
  const { program } = useConsole();
  const cur = program.currency;
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
      {stale && <Alert type="info" showIcon title={s.simStale} style={{ marginBottom: 8 }} />}
      {sim && (
        <>
          <Typography.Paragraph type="secondary">
            {fill(s.simOrders, { orders: sim.orders, version: sim.currentVersion ?? "—" })}
          </Typography.Paragraph>
          <Row gutter={[12, 12]}>
            <Col span={12}>
              <Statistic title={s.costNow} value={money(sim.current.totalCostMinor, cur)} />
            </Col>
            <Col span={12}>
              <Statistic title={s.costDraft} value={money(sim.draft.totalCostMinor, cur)} data-testid="pe-sim-draft" />
            </Col>
            <Col span={12}>
              <Statistic
                title={s.costChange}
                value={moneyDelta(sim.deltaCostMinor, cur)}
                data-testid="pe-sim-delta"
                styles={{ content: { color: sim.deltaCostMinor > 0 ? "#cf1322" : sim.deltaCostMinor < 0 ? "#389e0d" : undefined } }}
              />
            </Col>
            <Col span={12}>
              <Statistic title={s.ratioDraft} value={formatRate(sim.draft.costRatioBps)} />
            </Col>
            <Col span={12}>
              <Statistic title={s.roiDraft} value={roi(sim.draft.roiX100)} />
            </Col>
            <Col span={12}>
              <Statistic title={s.salesTotal} value={money(sim.draft.salesMinor, cur)} />
            </Col>
          </Row>
        </>
      )}
    </Card>
  );
}
