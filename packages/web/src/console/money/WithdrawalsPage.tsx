/** 提现审核: the review queue — filters (state, promoter, dates), an overdue badge past the review SLA, approve or reject with a reason, one by one or in bulk. */
import { CheckOutlined, CloseOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get, write } from "../../api/client.ts";
import { type BulkResult, WITHDRAWAL_STATES, type Withdrawal } from "../../api/money.ts";
import type { Page } from "../../api/types.ts";
import { ErrorBox } from "../../components/ErrorBox.tsx";
import { useErrorText, useLang } from "../../components/hooks.ts";
import { Pager } from "../../components/Pager.tsx";
import { TABLE_PAGE_SIZE, useCursorPager } from "../../components/useCursorPager.ts";
import { dateTime, money } from "../../lib/format.ts";
import { useMoneyLabel, WithdrawalStateTag } from "../../money/labels.tsx";
import { useConsole } from "../context.tsx";

/** Bulk decisions per request (the API's limit). */
const BULK_MAX = 100;
const OPEN: readonly string[] = ["requested", "approved", "awaiting_funds"];

/** The API says so (`overdue`); without it, a request still waiting past its review SLA. */
export function isOverdue(w: Pick<Withdrawal, "state" | "reviewDueAt" | "overdue">, now: number): boolean {
  return w.overdue ?? (w.state === "requested" && Date.parse(w.reviewDueAt) < now);
}

export function WithdrawalsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const label = useMoneyLabel();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { program, promoters, promoterName } = useConsole();
  const [state, setState] = useState<string>("requested");
  const [promoterId, setPromoterId] = useState<string | undefined>(undefined);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [rejecting, setRejecting] = useState<string[] | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const from = range?.[0]?.startOf("day").toISOString();
  const to = range?.[1]?.endOf("day").toISOString();
  const page = useCursorPager(
    (cursor) =>
      get<Page<Withdrawal> & { total?: number }>("/v1/withdrawals", {
        programId: program.id,
        state: state === "all" ? undefined : state,
        promoterId,
        from,
        to,
        limit: TABLE_PAGE_SIZE,
        cursor,
      }),
    [program.id, state, promoterId, from, to],
  );
  const now = Date.now();

  function after() {
    setSelected([]);
    page.reload();
  }

  async function approve(id: string) {
    setBusy(true);
    try {
      await write("POST", `/v1/withdrawals/${encodeURIComponent(id)}/approve`, {});
      message.success(t("review.approved"));
      after();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function bulk(action: "approve" | "reject", ids: string[], why?: string) {
    setBusy(true);
    try {
      let ok = 0;
      let failed = 0;
      const errors: string[] = [];
      for (let i = 0; i < ids.length; i += BULK_MAX) {
        const r = await write<BulkResult>("POST", "/v1/withdrawals/bulk", {
          action,
          ids: ids.slice(i, i + BULK_MAX),
          ...(why ? { reason: why } : {}),
        });
        for (const x of r.results) {
          if (x.ok) ok++;
          else {
            failed++;
            errors.push(x.error.message);
          }
        }
      }
      if (failed === 0) message.success(t("review.bulkDone", { ok, failed }));
      else message.warning(`${t("review.bulkDone", { ok, failed })} ${errors.slice(0, 3).join("; ")}`);
      after();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function reject(ids: string[], why: string) {
    if (ids.length === 1 && ids[0]) {
      setBusy(true);
      try {
        await write("POST", `/v1/withdrawals/${encodeURIComponent(ids[0])}/reject`, { reason: why });
        message.success(t("review.rejected"));
        after();
      } catch (e) {
        message.error(errorText(e));
      } finally {
        setBusy(false);
      }
    } else await bulk("reject", ids, why);
    setRejecting(null);
    setReason("");
  }

  const cur = program.currency;
  const rows = page.data?.items ?? [];
  const total = (page.data as { total?: number } | undefined)?.total;
  return (
    <div>
      <Typography.Title level={3}>{t("review.title")}</Typography.Title>
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            aria-label={t("review.state")}
            data-testid="review-state"
            value={state}
            onChange={setState}
            style={{ width: 160 }}
            options={[{ value: "all", label: t("common.all") }, ...WITHDRAWAL_STATES.map((s) => ({ value: s, label: label("wstate", s) }))]}
          />
          <Select
            aria-label={t("review.promoter")}
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            placeholder={t("review.allPromoters")}
            value={promoterId}
            onChange={setPromoterId}
            style={{ width: 200 }}
            options={promoters.map((p) => ({ value: p.promoterId, label: p.name }))}
          />
          <DatePicker.RangePicker aria-label={t("review.dateRange")} value={range} onChange={(v) => setRange(v)} />
          <Button
            type="primary"
            icon={<CheckOutlined />}
            disabled={selected.length === 0 || busy}
            onClick={() => void bulk("approve", selected)}
            data-testid="bulk-approve"
          >
            {t("review.approveSelected", { count: selected.length })}
          </Button>
          <Button
            danger
            icon={<CloseOutlined />}
            disabled={selected.length === 0 || busy}
            onClick={() => setRejecting(selected)}
            data-testid="bulk-reject"
          >
            {t("review.rejectSelected", { count: selected.length })}
          </Button>
          {total !== undefined ? <Typography.Text type="secondary">{t("review.total", { count: total })}</Typography.Text> : null}
        </Space>
        {page.error ? <ErrorBox error={page.error} onRetry={page.reload} /> : null}
        <Table<Withdrawal>
          data-testid="review-table"
          rowKey="id"
          size="middle"
          loading={page.loading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: "max-content" }}
          rowSelection={{
            selectedRowKeys: selected,
            onChange: (keys) => setSelected(keys.map(String)),
            getCheckboxProps: (r) => ({ disabled: !OPEN.includes(r.state), "aria-label": t("review.selectRow") }),
          }}
          columns={[
            { title: t("review.promoter"), dataIndex: "promoterId", render: (v: string, r) => r.promoterName ?? promoterName(v) },
            {
              title: t("review.amount"),
              dataIndex: "amountMinor",
              align: "right",
              render: (v: number, r) => (
                <Space orientation="vertical" size={0} align="end">
                  <span>{money(v, cur)}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t("review.tax")} {money(r.taxMinor, cur)} · {t("review.fee")} {money(r.feeMinor, cur)}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: t("review.net"), dataIndex: "netMinor", align: "right", render: (v: number) => <strong>{money(v, cur)}</strong> },
            { title: t("review.payee"), dataIndex: ["payee", "display"] },
            { title: t("review.requestedAt"), dataIndex: "requestedAt", render: (v: string) => dateTime(v, lang) },
            {
              title: t("review.dueAt"),
              dataIndex: "reviewDueAt",
              render: (v: string, r) => (
                <Space size={4}>
                  {dateTime(v, lang)}
                  {isOverdue(r, now) ? (
                    <Tag color="red" data-testid="overdue">
                      {t("review.overdue")}
                    </Tag>
                  ) : null}
                </Space>
              ),
            },
            {
              title: t("review.state"),
              dataIndex: "state",
              render: (v: string, r) => (
                <Space orientation="vertical" size={0}>
                  <WithdrawalStateTag state={v} />
                  {r.reason ? <Typography.Text type="secondary">{r.reason}</Typography.Text> : null}
                </Space>
              ),
            },
            {
              title: t("review.actions"),
              key: "actions",
              fixed: "right",
              render: (_: unknown, r) =>
                r.state === "requested" ? (
                  <Space>
                    <Button size="small" type="primary" disabled={busy} onClick={() => void approve(r.id)} data-testid="approve">
                      {t("review.approve")}
                    </Button>
                    <Button size="small" danger disabled={busy} onClick={() => setRejecting([r.id])} data-testid="reject">
                      {t("review.reject")}
                    </Button>
                  </Space>
                ) : OPEN.includes(r.state) ? (
                  <Button size="small" danger disabled={busy} onClick={() => setRejecting([r.id])} data-testid="reject">
                    {t("review.reject")}
                  </Button>
                ) : null,
            },
          ]}
        />
        <Pager {...page} loading={page.loading} />
      </Card>
      <Modal
        open={rejecting !== null}
        title={t("review.rejectTitle")}
        okText={t("review.reject")}
        okButtonProps={{ danger: true, disabled: reason.trim() === "", loading: busy, "data-testid": "reject-ok" }}
        cancelText={t("common.cancel")}
        onOk={() => rejecting && void reject(rejecting, reason.trim())}
        onCancel={() => setRejecting(null)}
        destroyOnHidden
      >
        <Form layout="vertical">
          <Form.Item label={t("review.rejectReason")} htmlFor="reject-reason" help={t("review.rejectReasonRequired")}>
            <Input.TextArea
              id="reject-reason"
              rows={3}
              maxLength={200}
              showCount
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-testid="reject-reason"
            />
          </Form.Item>
        </Form>
        {rejecting && rejecting.length > 1 ? <Alert type="info" title={t("review.rejectSelected", { count: rejecting.length })} /> : null}
      </Modal>
    </div>
  );
}
