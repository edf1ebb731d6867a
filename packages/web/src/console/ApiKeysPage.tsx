/** 开发者 / API 密钥: the merchant's keys (prefix, created, last used), creating one (secret shown once), revoking one. */
import { PlusOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Form, Input, Popconfirm, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get, write } from "../api/client.ts";
import type { Items } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { FormDialog } from "../components/FormDialog.tsx";
import { useAsync, useErrorText, useLang } from "../components/hooks.ts";
import { SecretOnceModal } from "../components/SecretOnceModal.tsx";
import { dateTime } from "../lib/format.ts";

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function ApiKeysPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const list = useAsync(() => get<Items<ApiKey>>("/v1/api-keys"), []);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function revoke(k: ApiKey) {
    setProblem(null);
    try {
      await write("DELETE", `/v1/api-keys/${encodeURIComponent(k.id)}`);
      message.success(t("admin.apiKeys.revokedDone"));
      list.reload();
    } catch (e) {
      setProblem(errorText(e));
    }
  }

  return (
    <div>
      <Typography.Title level={3}>{t("admin.apiKeys.title")}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t("admin.apiKeys.help")}</Typography.Paragraph>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          style={{ marginBottom: 12 }}
          data-testid="api-key-create"
        >
          {t("admin.apiKeys.create")}
        </Button>
        {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
        {list.error ? (
          <ErrorBox error={list.error} onRetry={list.reload} />
        ) : (
          <Table<ApiKey>
            data-testid="api-keys-table"
            rowKey="id"
            size="middle"
            loading={list.loading}
            dataSource={list.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: t("admin.apiKeys.noKeys") }}
            scroll={{ x: 760 }}
            columns={[
              { title: t("admin.apiKeys.name"), dataIndex: "name", render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
              {
                title: t("admin.apiKeys.prefix"),
                dataIndex: "prefix",
                render: (v: string) => <Typography.Text code>{v}…</Typography.Text>,
              },
              { title: t("admin.apiKeys.scopes"), key: "scopes", render: () => t("admin.apiKeys.allScopes") },
              { title: t("admin.apiKeys.createdAt"), dataIndex: "createdAt", render: (v: string) => dateTime(v, lang) },
              {
                title: t("admin.apiKeys.lastUsedAt"),
                dataIndex: "lastUsedAt",
                render: (v: string | null) =>
                  v ? dateTime(v, lang) : <Typography.Text type="secondary">{t("admin.apiKeys.never")}</Typography.Text>,
              },
              {
                title: t("admin.apiKeys.status"),
                key: "status",
                render: (_v, k) =>
                  k.revokedAt ? (
                    <Tag title={t("admin.apiKeys.revokedAt", { date: dateTime(k.revokedAt, lang) })}>{t("admin.apiKeys.revoked")}</Tag>
                  ) : (
                    <Tag color="green">{t("admin.apiKeys.active")}</Tag>
                  ),
              },
              {
                title: "",
                key: "actions",
                render: (_v, k) =>
                  k.revokedAt ? null : (
                    <Popconfirm
                      title={t("admin.apiKeys.revokeConfirm", { name: k.name })}
                      okText={t("admin.apiKeys.revokeOk")}
                      okButtonProps={{ danger: true, "data-testid": "api-key-revoke-ok" }}
                      cancelText={t("common.cancel")}
                      onConfirm={() => revoke(k)}
                    >
                      <Button
                        danger
                        size="small"
                        aria-label={`${t("admin.apiKeys.revoke")} ${k.name}`}
                        data-testid={`api-key-revoke-${k.id}`}
                      >
                        {t("admin.apiKeys.revoke")}
                      </Button>
                    </Popconfirm>
                  ),
              },
            ]}
          />
        )}
      </Card>
      {creating && (
        <CreateKeyDialog
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setSecret(key);
            list.reload();
          }}
        />
      )}
      <SecretOnceModal
        open={secret !== null}
        title={t("admin.apiKeys.secretTitle")}
        help={t("admin.apiKeys.secretHelp")}
        doneLabel={t("admin.apiKeys.secretDone")}
        doneTestId="api-key-secret-done"
        secrets={secret === null ? [] : [{ value: secret, testId: "api-key-secret" }]}
        onClose={() => setSecret(null)}
      />
    </div>
  );
}

function CreateKeyDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (key: string) => void }) {
  const { t } = useTranslation();
  return (
    <FormDialog<{ name: string }>
      title={t("admin.apiKeys.create")}
      okText={t("admin.apiKeys.create")}
      okTestId="api-key-create-submit"
      onClose={onClose}
      onSubmit={async (v, key) => {
        const r = await write<{ id: string; key: string | null }>("POST", "/v1/api-keys", { name: v.name.trim() }, key);
        if (r.key) onCreated(r.key);
        else onClose();
      }}
    >
      <Form.Item
        name="name"
        label={t("admin.apiKeys.name")}
        rules={[{ required: true, whitespace: true, message: t("admin.apiKeys.nameRequired") }]}
      >
        <Input maxLength={100} placeholder={t("admin.apiKeys.namePlaceholder")} data-testid="api-key-name" />
      </Form.Item>
    </FormDialog>
  );
}
