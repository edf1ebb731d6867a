/** 管理员: the merchant's admins, inviting another (one-time initial password shown once), disabling and enabling. */
import { UserAddOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Form, Input, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get, getSession, write } from "../api/client.ts";
import type { Items } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { FormDialog } from "../components/FormDialog.tsx";
import { useAsync, useErrorText, useLang } from "../components/hooks.ts";
import { SecretOnceModal } from "../components/SecretOnceModal.tsx";
import { dateTime } from "../lib/format.ts";

export interface MerchantUser {
  id: string;
  email: string;
  name: string;
  status: "active" | "disabled";
  passwordChangeRequired: boolean;
  createdAt: string;
  disabledAt: string | null;
}

export function UsersPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const list = useAsync(() => get<Items<MerchantUser>>("/v1/merchant/users"), []);
  const [inviting, setInviting] = useState(false);
  const [invited, setInvited] = useState<{ email: string; password: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const myId = getSession()?.user.id;

  async function setStatus(u: MerchantUser, action: "disable" | "enable") {
    setProblem(null);
    try {
      await write("POST", `/v1/merchant/users/${encodeURIComponent(u.id)}/${action}`, {});
      message.success(t("admin.users.done"));
      list.reload();
    } catch (e) {
      setProblem(errorText(e));
    }
  }

  return (
    <div>
      <Typography.Title level={3}>{t("admin.users.title")}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t("admin.users.help")}</Typography.Paragraph>
        <Button
          type="primary"
          icon={<UserAddOutlined />}
          onClick={() => setInviting(true)}
          style={{ marginBottom: 12 }}
          data-testid="user-invite"
        >
          {t("admin.users.invite")}
        </Button>
        {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} data-testid="users-error" />}
        {list.error ? (
          <ErrorBox error={list.error} onRetry={list.reload} />
        ) : (
          <Table<MerchantUser>
            data-testid="users-table"
            rowKey="id"
            size="middle"
            loading={list.loading}
            dataSource={list.data?.items ?? []}
            pagination={false}
            scroll={{ x: 680 }}
            columns={[
              {
                title: t("admin.users.name"),
                dataIndex: "name",
                render: (v: string, u) => (
                  <Typography.Text strong>
                    {v}
                    {u.id === myId ? t("admin.users.you") : ""}
                  </Typography.Text>
                ),
              },
              { title: t("admin.users.email"), dataIndex: "email" },
              {
                title: t("admin.users.status"),
                key: "status",
                render: (_v, u) => (
                  <Space size={4} wrap>
                    {u.status === "active" ? <Tag color="green">{t("admin.users.active")}</Tag> : <Tag>{t("admin.users.disabled")}</Tag>}
                    {u.passwordChangeRequired ? <Tag color="orange">{t("admin.users.mustChange")}</Tag> : null}
                  </Space>
                ),
              },
              { title: t("admin.users.createdAt"), dataIndex: "createdAt", render: (v: string) => dateTime(v, lang) },
              {
                title: "",
                key: "actions",
                render: (_v, u) =>
                  u.id === myId ? null : u.status === "active" ? (
                    <Popconfirm
                      title={t("admin.users.disableConfirm", { name: u.name })}
                      okText={t("admin.users.disable")}
                      okButtonProps={{ danger: true, "data-testid": "user-disable-ok" }}
                      cancelText={t("common.cancel")}
                      onConfirm={() => setStatus(u, "disable")}
                    >
                      <Button danger size="small" aria-label={`${t("admin.users.disable")} ${u.name}`} data-testid={`user-disable-${u.id}`}>
                        {t("admin.users.disable")}
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Button size="small" aria-label={`${t("admin.users.enable")} ${u.name}`} onClick={() => setStatus(u, "enable")}>
                      {t("admin.users.enable")}
                    </Button>
                  ),
              },
            ]}
          />
        )}
      </Card>
      {inviting && (
        <InviteDialog
          onClose={() => setInviting(false)}
          onInvited={(v) => {
            setInviting(false);
            if (v) setInvited(v);
            list.reload();
          }}
        />
      )}
      <SecretOnceModal
        open={invited !== null}
        title={t("admin.users.secretTitle")}
        help={t("admin.users.secretHelp", { email: invited?.email ?? "" })}
        doneLabel={t("admin.users.secretDone")}
        doneTestId="user-secret-done"
        secrets={invited === null ? [] : [{ value: invited.password, testId: "user-initial-password" }]}
        onClose={() => setInvited(null)}
      />
    </div>
  );
}

function InviteDialog({ onClose, onInvited }: { onClose: () => void; onInvited: (v: { email: string; password: string } | null) => void }) {
  const { t } = useTranslation();
  return (
    <FormDialog<{ email: string; name: string }>
      title={t("admin.users.inviteTitle")}
      okText={t("admin.users.inviteOk")}
      okTestId="user-invite-submit"
      errorTestId="user-invite-error"
      onClose={onClose}
      onSubmit={async (v, key) => {
        const body = { email: v.email.trim(), name: v.name.trim() };
        const r = await write<{ user: MerchantUser; initialPassword: string | null }>("POST", "/v1/merchant/users", body, key);
        onInvited(r.initialPassword ? { email: r.user.email, password: r.initialPassword } : null);
      }}
    >
      <Form.Item
        name="email"
        label={t("admin.users.email")}
        rules={[{ required: true, type: "email", message: t("admin.users.emailRequired") }]}
      >
        <Input type="email" autoComplete="off" maxLength={200} data-testid="user-invite-email" />
      </Form.Item>
      <Form.Item
        name="name"
        label={t("admin.users.name")}
        rules={[{ required: true, whitespace: true, message: t("admin.users.nameRequired") }]}
      >
        <Input maxLength={100} data-testid="user-invite-name" />
      </Form.Item>
    </FormDialog>
  );
}
