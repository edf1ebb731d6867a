/** 加入申请: the program's join policy, and the queue of applications to approve or reject (with a reason). */
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, get, post } from "../api/client.ts";
import type { Program } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useErrorText, useLang } from "../components/hooks.ts";
import { dateTime } from "../lib/format.ts";
import { useConsole } from "./context.tsx";

type Status = "pending" | "approved" | "rejected";
interface ApplicationRow {
  id: string;
  promoterId: string;
  name: string;
  phone: string | null;
  inviterId: string | null;
  inviterName: string | null;
  status: Status;
  reason: string | null;
  appliedAt: string;
}
type JoinPolicy = NonNullable<Program["joinPolicy"]>;

const STATUS_COLOR: Record<Status, string> = { pending: "gold", approved: "green", rejected: "default" };

function JoinPolicyCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { program } = useConsole();
  const current = useAsync(() => get<Program>(`/v1/programs/${encodeURIComponent(program.id)}`), [program.id]);
  const [saving, setSaving] = useState(false);
  async function save(joinPolicy: JoinPolicy) {
    setSaving(true);
    try {
      await api("PATCH", `/v1/programs/${encodeURIComponent(program.id)}`, { joinPolicy });
      message.success(t("growth.policySaved"));
      current.reload();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Space wrap>
        <Typography.Text strong>{t("growth.joinPolicy")}</Typography.Text>
        <Select<JoinPolicy>
          aria-label={t("growth.joinPolicy")}
          style={{ minWidth: 240 }}
          loading={current.loading || saving}
          value={current.data?.joinPolicy}
          onChange={save}
          options={[
            { value: "open", label: t("growth.policyOpen") },
            { value: "invite", label: t("growth.policyInvite") },
            { value: "approval", label: t("growth.policyApproval") },
          ]}
          data-testid="join-policy"
        />
      </Space>
    </Card>
  );
}

export function ApplicationsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { program, reloadPromoters } = useConsole();
  const [status, setStatus] = useState<Status>("pending");
  const list = useAsync(
    () => get<{ items: ApplicationRow[]; total: number }>("/v1/promoters/applications", { programId: program.id, status, limit: 200 }),
    [program.id, status],
  );
  const [rejecting, setRejecting] = useState<ApplicationRow | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState<string | null>(null);

  async function decide(a: ApplicationRow, action: "approve" | "reject", body: Record<string, unknown> = {}) {
    setBusy(a.id);
    try {
      await post(`/v1/promoters/applications/${encodeURIComponent(a.id)}/${action}`, body);
      message.success(action === "approve" ? t("growth.approved") : t("growth.rejected"));
      setRejecting(null);
      setReason("");
      list.reload();
      if (action === "approve") reloadPromoters();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  const STATUS_LABEL = {
    pending: t("growth.statusPending"),
    approved: t("growth.statusApproved"),
    rejected: t("growth.statusRejected"),
  } as const;
  const statusLabel = (s: Status) => STATUS_LABEL[s];
  return (
    <div>
      <Typography.Title level={4}>{t("growth.applicationsTitle")}</Typography.Title>
      <JoinPolicyCard />
      <Space style={{ marginBottom: 12 }}>
        <Select<Status>
          aria-label={t("growth.status")}
          value={status}
          onChange={setStatus}
          options={(["pending", "approved", "rejected"] as const).map((s) => ({ value: s, label: statusLabel(s) }))}
          data-testid="applications-status"
        />
        {list.data && <Tag>{list.data.total}</Tag>}
      </Space>
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      <Table<ApplicationRow>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t("growth.noApplications") }}
        data-testid="applications"
        columns={[
          {
            title: t("growth.applicant"),
            key: "name",
            render: (_, a) => (
              <span>
                {a.name} <Typography.Text type="secondary">{a.phone ?? ""}</Typography.Text>
              </span>
            ),
          },
          { title: t("growth.inviter"), key: "inviter", render: (_, a) => a.inviterName ?? "—" },
          { title: t("growth.appliedAt"), key: "appliedAt", render: (_, a) => dateTime(a.appliedAt, lang) },
          {
            title: t("growth.status"),
            key: "status",
            render: (_, a) => (
              <span>
                <Tag color={STATUS_COLOR[a.status]}>{statusLabel(a.status)}</Tag>
                {a.reason ? <Typography.Text type="secondary">{a.reason}</Typography.Text> : null}
              </span>
            ),
          },
          {
            title: "",
            key: "actions",
            render: (_, a) =>
              a.status === "pending" ? (
                <Space>
                  <Button type="primary" size="small" loading={busy === a.id} onClick={() => decide(a, "approve")} data-testid="approve">
                    {t("growth.approve")}
                  </Button>
                  <Button size="small" danger onClick={() => setRejecting(a)} data-testid="reject">
                    {t("growth.reject")}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <Modal
        open={rejecting !== null}
        title={`${t("growth.reject")} · ${rejecting?.name ?? ""}`}
        okText={t("growth.reject")}
        okButtonProps={{ danger: true, disabled: reason.trim() === "", loading: busy !== null }}
        onOk={() => rejecting && decide(rejecting, "reject", { reason: reason.trim() })}
        onCancel={() => setRejecting(null)}
      >
        <Form layout="vertical">
          <Form.Item label={t("growth.rejectReason")} required help={reason.trim() === "" ? t("growth.rejectReasonRequired") : undefined}>
            <Input.TextArea value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} data-testid="reject-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
