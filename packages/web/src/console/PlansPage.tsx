/** 方案: plan versions, a JSON editor for a draft with 检查 (lint), save, publish, and 模拟 (what-if). */
import { Alert, App, Button, Card, Col, Input, Modal, Popconfirm, Row, Space, Statistic, Table, Tag, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, get, post } from "../api/client.ts";
import type { Items, LintIssue, LintResult, PlanVersion, SimDelta, SimResult } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useErrorText, useLang } from "../components/hooks.ts";
import { useEnumLabel } from "../components/labels.tsx";
import { dateTime, formatRate, money, moneyDelta, roi } from "../lib/format.ts";
import { useConsole } from "./context.tsx";

function pretty(doc: unknown): string {
  return JSON.stringify(doc, null, 2);
}

/** The published version whose effectiveFrom is the latest one not in the future. */
function inForce(versions: PlanVersion[], nowMs: number): number | null {
  let best: PlanVersion | null = null;
  for (const v of versions) {
    if (v.status !== "published" || !v.effectiveFrom || Date.parse(v.effectiveFrom) > nowMs) continue;
    if (!best || Date.parse(v.effectiveFrom) >= Date.parse(best.effectiveFrom ?? "")) best = v;
  }
  return best?.version ?? null;
}

export function PlansPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const label = useEnumLabel();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { program } = useConsole();
  const base = `/v1/programs/${encodeURIComponent(program.id)}`;
  const versions = useAsync(() => get<Items<PlanVersion>>(`${base}/plans`), [base]);
  const [text, setText] = useState("");
  const [viewing, setViewing] = useState<PlanVersion | null>(null);
  const [lint, setLint] = useState<LintResult | null>(null);
  const [sim, setSim] = useState<SimResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<"check" | "save" | "simulate" | null>(null);

  const items = useMemo(() => [...(versions.data?.items ?? [])].sort((a, b) => b.version - a.version), [versions.data]);
  const current = useMemo(() => inForce(items, Date.now()), [items]);

  // Start the editor from the newest version, once.
  const [seeded, setSeeded] = useState(false);
  useEffect(() => {
    const first = items[0];
    if (first && !seeded) {
      setText(pretty(first.document));
      setSeeded(true);
    }
  }, [items, seeded]);

  function parsed(): { ok: true; doc: unknown } | { ok: false } {
    try {
      return { ok: true, doc: JSON.parse(text) as unknown };
    } catch (e) {
      setProblem(t("plans.invalidJson", { message: e instanceof Error ? e.message : String(e) }));
      return { ok: false };
    }
  }

  async function run(kind: "check" | "save" | "simulate") {
    setProblem(null);
    const p = parsed();
    if (!p.ok) return;
    setBusy(kind);
    try {
      if (kind === "check") {
        setLint(await post<LintResult>(`${base}/plans/lint`, { document: p.doc }));
      } else if (kind === "save") {
        const r = await post<{ version: number; lint: LintResult }>(`${base}/plans`, { document: p.doc });
        message.success(t("plans.draftSaved", { version: r.version }));
        versions.reload();
      } else {
        setSim(null);
        setSim(await post<SimResult>(`${base}/simulate`, { document: p.doc }));
      }
    } catch (e) {
      // A refused document comes back with the linter's findings: show them like a check.
      if (e instanceof ApiError && (e.code === "PLAN_INVALID" || e.code === "PLAN_LINT_FAILED")) {
        const d = e.details as { issues?: LintResult["issues"]; errors?: LintIssue[]; warnings?: LintIssue[] };
        setLint({ valid: e.code !== "PLAN_INVALID", issues: d.issues ?? [], errors: d.errors ?? [], warnings: d.warnings ?? [] });
      }
      setProblem(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  async function publish(version: number) {
    setProblem(null);
    try {
      await post(`${base}/plans/${version}/publish`, {});
      message.success(t("plans.published", { version }));
      versions.reload();
    } catch (e) {
      if (e instanceof ApiError && e.code === "PLAN_LINT_FAILED") {
        const d = e.details as { errors?: LintIssue[]; warnings?: LintIssue[] };
        setLint({ valid: true, issues: [], errors: d.errors ?? [], warnings: d.warnings ?? [] });
      }
      setProblem(errorText(e));
    }
  }

  const msg = (i: LintIssue) => (lang === "en" ? i.messageEn : i.messageZh);

  return (
    <div>
      <Typography.Title level={3}>{t("plans.title")}</Typography.Title>
      <Card title={t("plans.versions")}>
        {versions.error ? (
          <ErrorBox error={versions.error} onRetry={versions.reload} />
        ) : (
          <Table<PlanVersion>
            data-testid="plan-versions"
            rowKey="version"
            size="middle"
            loading={versions.loading}
            dataSource={items}
            pagination={false}
            columns={[
              { title: t("plans.version"), dataIndex: "version", width: 80, render: (v: number) => `v${v}` },
              {
                title: t("plans.status"),
                dataIndex: "status",
                render: (v: string, r) => (
                  <Space size={4}>
                    <Tag color={v === "published" ? "green" : "blue"}>{label("planStatus", v)}</Tag>
                    {r.version === current && <Tag color="red">{t("plans.inForce")}</Tag>}
                  </Space>
                ),
              },
              { title: t("plans.effectiveFrom"), dataIndex: "effectiveFrom", render: (v: string | null) => dateTime(v, lang) },
              { title: t("plans.createdAt"), dataIndex: "createdAt", render: (v: string) => dateTime(v, lang) },
              {
                title: t("plans.lint"),
                key: "lint",
                render: (_v, r) =>
                  !r.lint ? (
                    "—"
                  ) : (
                    <Space size={4}>
                      <Tag color={r.lint.errors.length ? "red" : "green"}>
                        {t("plans.errors")} {r.lint.errors.length}
                      </Tag>
                      <Tag color={r.lint.warnings.length ? "gold" : "default"}>
                        {t("plans.warnings")} {r.lint.warnings.length}
                      </Tag>
                    </Space>
                  ),
              },
              {
                title: "",
                key: "actions",
                align: "right",
                render: (_v, r) => (
                  <Space>
                    <Button size="small" onClick={() => setViewing(r)}>
                      {t("plans.viewJson")}
                    </Button>
                    <Button
                      size="small"
                      onClick={() => {
                        setText(pretty(r.document));
                        setLint(null);
                        setSim(null);
                      }}
                    >
                      {t("plans.edit")}
                    </Button>
                    {r.status === "draft" && (
                      <Popconfirm title={t("plans.publishConfirm", { version: r.version })} onConfirm={() => publish(r.version)}>
                        <Button size="small" type="primary">
                          {t("plans.publish")}
                        </Button>
                      </Popconfirm>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>

      <Card title={t("plans.editor")} style={{ marginTop: 16 }}>
        <Typography.Paragraph type="secondary">{t("plans.editorHelp")}</Typography.Paragraph>
        <Input.TextArea
          data-testid="plan-editor"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            // Findings and figures belong to the text they were computed from.
            setLint(null);
            setSim(null);
          }}
          autoSize={{ minRows: 14, maxRows: 32 }}
          spellCheck={false}
          style={{ fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: 13 }}
        />
        <Space style={{ marginTop: 12 }} wrap>
          <Button onClick={() => run("check")} loading={busy === "check"} data-testid="plan-check">
            {t("plans.check")}
          </Button>
          <Button type="primary" onClick={() => run("save")} loading={busy === "save"} data-testid="plan-save">
            {t("plans.saveDraft")}
          </Button>
          <Button onClick={() => run("simulate")} loading={busy === "simulate"} data-testid="plan-simulate">
            {t("plans.simulate")}
          </Button>
        </Space>
        {problem && <Alert type="error" showIcon title={problem} style={{ marginTop: 16 }} />}
        {lint && (
          <div style={{ marginTop: 16 }} data-testid="lint-result">
            {lint.errors.length === 0 && lint.issues.length === 0 && <Alert type="success" showIcon title={t("plans.checkPassed")} />}
            {lint.issues.length > 0 && (
              <IssueList type="error" title={t("plans.schemaIssues")} rows={lint.issues.map((i) => ({ path: i.path, text: i.message }))} />
            )}
            {lint.errors.length > 0 && (
              <IssueList
                type="error"
                title={t("plans.errors")}
                rows={lint.errors.map((i) => ({ path: i.path, text: msg(i), code: i.code }))}
              />
            )}
            {lint.warnings.length > 0 && (
              <IssueList
                type="warning"
                title={t("plans.warnings")}
                rows={lint.warnings.map((i) => ({ path: i.path, text: msg(i), code: i.code }))}
              />
            )}
          </div>
        )}
      </Card>

      {sim && <Simulation sim={sim} />}

      <Modal
        open={viewing !== null}
        onCancel={() => setViewing(null)}
        footer={null}
        width={720}
        title={viewing ? `v${viewing.version}` : ""}
      >
        <pre className="json-view">{viewing ? pretty(viewing.document) : ""}</pre>
      </Modal>
    </div>
  );
}

function IssueList({
  type,
  title,
  rows,
}: {
  type: "error" | "warning";
  title: string;
  rows: { path: string; text: string; code?: string }[];
}) {
  return (
    <Alert
      type={type}
      showIcon
      style={{ marginTop: 8 }}
      title={title}
      description={
        <ul className="issue-list">
          {rows.map((r) => (
            <li key={`${r.code ?? ""}${r.path}${r.text}`}>
              <Typography.Text code>{r.path}</Typography.Text> {r.text}
            </li>
          ))}
        </ul>
      }
    />
  );
}

function Simulation({ sim }: { sim: SimResult }) {
  const { t } = useTranslation();
  const { program, promoterName } = useConsole();
  const cur = program.currency;
  const side = (title: string, s: SimResult["current"], testId: string) => (
    <Card size="small" title={title} data-testid={testId}>
      <Row gutter={[16, 16]}>
        <Col span={12}>
          <Statistic title={t("plans.totalCost")} value={money(s.totalCostMinor, cur)} />
        </Col>
        <Col span={12}>
          <Statistic title={t("plans.sales")} value={money(s.salesMinor, cur)} />
        </Col>
        <Col span={8}>
          <Statistic title={t("plans.costRatio")} value={formatRate(s.costRatioBps)} />
        </Col>
        <Col span={8}>
          <Statistic title={t("plans.roi")} value={roi(s.roiX100)} />
        </Col>
        <Col span={8}>
          <Statistic title={t("plans.costPerPromoter")} value={money(s.costPerPromoterMinor, cur)} />
        </Col>
      </Row>
    </Card>
  );
  const deltaTable = (title: string, rows: SimDelta[]) => (
    <Card size="small" title={title}>
      <Table<SimDelta>
        size="small"
        rowKey="promoterId"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: t("plans.promoter"), dataIndex: "promoterId", render: (v: string) => promoterName(v) },
          { title: t("plans.before"), dataIndex: "currentMinor", align: "right", render: (v: number) => money(v, cur) },
          { title: t("plans.after"), dataIndex: "draftMinor", align: "right", render: (v: number) => money(v, cur) },
          {
            title: t("plans.change"),
            dataIndex: "deltaMinor",
            align: "right",
            render: (v: number) => (
              <Typography.Text type={v < 0 ? "danger" : v > 0 ? "success" : undefined}>{moneyDelta(v, cur)}</Typography.Text>
            ),
          },
        ]}
      />
    </Card>
  );
  return (
    <Card title={t("plans.simTitle")} style={{ marginTop: 16 }} data-testid="simulation">
      <Typography.Paragraph type="secondary">
        {t("plans.simOrders", { count: sim.orders, version: sim.currentVersion ?? "—" })}
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          {side(t("plans.current"), sim.current, "sim-current")}
        </Col>
        <Col xs={24} lg={10}>
          {side(t("plans.draft"), sim.draft, "sim-draft")}
        </Col>
        <Col xs={24} lg={4}>
          <Card size="small">
            <Statistic
              title={t("plans.deltaCost")}
              value={moneyDelta(sim.deltaCostMinor, cur)}
              styles={{ content: { color: sim.deltaCostMinor > 0 ? "#cf1322" : sim.deltaCostMinor < 0 ? "#389e0d" : undefined } }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          {deltaTable(t("plans.gains"), sim.largestGains)}
        </Col>
        <Col xs={24} lg={12}>
          {deltaTable(t("plans.losses"), sim.largestLosses)}
        </Col>
      </Row>
    </Card>
  );
}
