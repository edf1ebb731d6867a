/**
 * One promoter (推广员详情): profile, inviter chain, rank history, net sales by period, balances, commission lines, the
 * team tree (lazily expanded) and the actions — suspend, reactivate, change rank — each with a reason for the audit log.
 */
import { App, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Row, Space, Table, Tag, Timeline, Typography } from "antd";
import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { api, get } from "../api/client.ts";
import type { CommissionLine, Page } from "../api/types.ts";
import { EChart, type LineChartOption } from "../components/EChart.tsx";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useErrorText, useLang } from "../components/hooks.ts";
import { PromoterStatusTag } from "../components/labels.tsx";
import { TeamTree } from "../components/TeamTree.tsx";
import { dateTime, money } from "../lib/format.ts";
import { useConsole } from "./context.tsx";

interface Overview {
  promoterId: string;
  programId: string;
  name: string | null;
  phone: string | null;
  code: string;
  rank: string | null;
  status: "active" | "suspended" | "left";
  joinedAt: string;
  inviterChain: { promoterId: string; name: string | null; code: string; rank: string | null; status: string }[];
  rankHistory: { fromRank: string | null; toRank: string; reason: { kind?: string; reason?: string | null } | null; at: string }[];
  salesByPeriod: { periodKey: string; netMinor: number; orders: number }[];
  balances: Record<string, number>;
  team: { level1: number; level2: number };
}

type Action = "suspend" | "reactivate" | "rank";

export function PromoterPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { program, reloadPromoters } = useConsole();
  const { promoterId = "" } = useParams();
  const q = { programId: program.id };
  const ov = useAsync(() => get<Overview>(`/v1/promoters/${encodeURIComponent(promoterId)}/overview`, q), [promoterId, program.id]);
  const lines = useAsync(() => get<Page<CommissionLine>>("/v1/commissions", { ...q, promoterId, limit: 20 }), [promoterId, program.id]);
  const [action, setAction] = useState<Action | null>(null);
  const more = useCallback((n: number) => t("promoterPage.more", { n }), [t]);

  const chart = useMemo<LineChartOption>(() => {
    const s = [...(ov.data?.salesByPeriod ?? [])].reverse();
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 60, right: 20, top: 20, bottom: 30 },
      xAxis: { type: "category", data: s.map((x) => x.periodKey) },
      yAxis: { type: "value" },
      series: [{ type: "line", name: t("promoters.netSales"), data: s.map((x) => x.netMinor / 100), smooth: true }],
    } as LineChartOption;
  }, [ov.data, t]);

  if (ov.error) return <ErrorBox error={ov.error} onRetry={ov.reload} />;
  const o = ov.data;
  if (!o) return <Card loading />;
  return (
    <div data-testid="promoter-page">
      <Space style={{ marginBottom: 8 }}>
        <Link to="/console/promoters">← {t("promoterPage.back")}</Link>
      </Space>
      <Typography.Title level={3}>
        {o.name} <PromoterStatusTag status={o.status} /> <Tag>{o.rank ?? t("promoters.rankNone")}</Tag>
      </Typography.Title>
      <Space style={{ marginBottom: 16 }} wrap>
        {o.status === "active" ? (
          <Button danger onClick={() => setAction("suspend")} data-testid="action-suspend">
            {t("promoterPage.suspend")}
          </Button>
        ) : (
          <Button onClick={() => setAction("reactivate")} data-testid="action-reactivate">
            {t("promoterPage.reactivate")}
          </Button>
        )}
        <Button onClick={() => setAction("rank")} data-testid="action-rank">
          {t("promoterPage.changeRank")}
        </Button>
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t("promoterPage.profile")} size="small">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t("promoters.code")}>
                <Typography.Text code>{o.code}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t("promoters.phone")}>{o.phone ?? "—"}</Descriptions.Item>
              <Descriptions.Item label={t("promoters.joinedAt")}>{dateTime(o.joinedAt, lang)}</Descriptions.Item>
              <Descriptions.Item label={t("promoters.team")}>
                {t("promoters.level1")}: {o.team.level1} · {t("promoters.level2")}: {o.team.level2}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t("promoterPage.balances")} size="small" data-testid="promoter-balances">
            <Descriptions column={2} size="small">
              {Object.entries(o.balances).map(([k, v]) => (
                <Descriptions.Item key={k} label={k}>
                  {money(v, program.currency)}
                </Descriptions.Item>
              ))}
            </Descriptions>
            {Object.keys(o.balances).length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t("promoterPage.inviterChain")} size="small" data-testid="inviter-chain">
            {o.inviterChain.length === 0 ? (
              <Typography.Text type="secondary">{t("promoterPage.noInviter")}</Typography.Text>
            ) : (
              <Space wrap>
                {o.inviterChain.map((x, i) => (
                  <span key={x.promoterId}>
                    {i > 0 && " ← "}
                    <Link to={`/console/promoters/${encodeURIComponent(x.promoterId)}`}>{x.name ?? x.promoterId}</Link>
                  </span>
                ))}
              </Space>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t("promoterPage.rankHistory")} size="small">
            {o.rankHistory.length === 0 ? (
              <Typography.Text type="secondary">{t("promoterPage.noRankHistory")}</Typography.Text>
            ) : (
              <Timeline
                items={o.rankHistory.map((r) => ({
                  children: `${dateTime(r.at, lang)} · ${r.fromRank ?? t("promoters.rankNone")} → ${r.toRank}${r.reason?.reason ? ` · ${r.reason.reason}` : ""}`,
                }))}
              />
            )}
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t("promoterPage.salesByMonth")} size="small">
            <EChart option={chart} height={220} testId="promoter-sales-chart" />
          </Card>
        </Col>
        <Col span={24}>
          <Card
            title={t("promoterPage.teamTree")}
            size="small"
            extra={<Typography.Text type="secondary">{t("promoterPage.teamTreeHint")}</Typography.Text>}
          >
            <TeamTree rootId={o.promoterId} rootName={o.name ?? o.code} programId={program.id} moreLabel={more} />
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t("promoterPage.commissionLines")} size="small">
            {lines.error ? <ErrorBox error={lines.error} onRetry={lines.reload} /> : null}
            <Table<CommissionLine>
              size="small"
              rowKey="id"
              loading={lines.loading}
              dataSource={lines.data?.items ?? []}
              pagination={false}
              scroll={{ x: 800 }}
              columns={[
                { title: t("commissions.order"), dataIndex: "orderRef", render: (v: string | null) => v ?? "—" },
                { title: t("commissions.kind"), dataIndex: "kind" },
                {
                  title: t("commissions.amount"),
                  dataIndex: "netMinor",
                  align: "right",
                  render: (v: number) => money(v, program.currency),
                },
                { title: t("commissions.state"), dataIndex: "state" },
                {
                  title: t("commissions.explanation"),
                  key: "x",
                  render: (_: unknown, r) => (lang === "en" ? r.explanationEn : r.explanationZh),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <ActionDialog
        action={action}
        overview={o}
        onClose={() => setAction(null)}
        onDone={() => {
          setAction(null);
          ov.reload();
          reloadPromoters();
        }}
      />
    </div>
  );
}

function ActionDialog(props: { action: Action | null; overview: Overview; onClose: () => void; onDone: () => void }) {
  const { action, overview, onClose, onDone } = props;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ reason: string; rank?: string }>();
  const [busy, setBusy] = useState(false);
  const title =
    action === "suspend"
      ? t("promoterPage.suspend")
      : action === "reactivate"
        ? t("promoterPage.reactivate")
        : t("promoterPage.changeRank");

  async function submit() {
    const v = await form.validateFields();
    const body: Record<string, unknown> = { programId: overview.programId, reason: v.reason };
    if (action === "suspend") body.status = "suspended";
    if (action === "reactivate") body.status = "active";
    if (action === "rank") body.rank = v.rank?.trim() ? v.rank.trim() : null;
    setBusy(true);
    try {
      await api("PATCH", `/v1/promoters/${encodeURIComponent(overview.promoterId)}`, body);
      message.success(t("promoterPage.done"));
      form.resetFields();
      onDone();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={action !== null}
      title={title}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ "data-testid": "action-ok" } as Record<string, string>}
    >
      <Form form={form} layout="vertical" preserve={false}>
        {action === "rank" && (
          <Form.Item name="rank" label={t("promoterPage.newRank")} initialValue={overview.rank ?? ""}>
            <Input data-testid="action-rank-input" />
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={t("promoterPage.reason")}
          rules={[{ required: true, whitespace: true, message: t("promoterPage.reasonRequired") }]}
        >
          <Input.TextArea rows={3} maxLength={500} data-testid="action-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
