/** The signing secret of a new or rotated endpoint: shown this once, with a copy button. */
import { CopyOutlined } from "@ant-design/icons";
import { Alert, App, Button, Modal, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { copyText } from "../lib/clipboard.ts";

export function WebhookSecretModal({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Modal
      open={secret !== null}
      title={t("webhooks.secretTitle")}
      closable={false}
      maskClosable={false}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid="webhook-secret-done">
          {t("webhooks.secretDone")}
        </Button>
      }
    >
      <Alert type="warning" showIcon title={t("webhooks.secretHelp")} style={{ marginBottom: 12 }} />
      <Space.Compact style={{ width: "100%" }}>
        <Typography.Text code data-testid="webhook-secret" style={{ wordBreak: "break-all", flex: 1, padding: "4px 8px" }}>
          {secret}
        </Typography.Text>
        <Button
          icon={<CopyOutlined />}
          onClick={async () => {
            if (secret && (await copyText(secret))) message.success(t("common.copied"));
            else message.error(t("common.copyFailed"));
          }}
          data-testid="webhook-secret-copy"
        >
          {t("common.copy")}
        </Button>
      </Space.Compact>
    </Modal>
  );
}
