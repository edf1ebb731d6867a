/**
 * A secret shown this once (a webhook signing secret, an API key, a one-time initial password): a warning, each value
 * with a copy button, and one button to close. It cannot be closed by a click beside it, so it is not lost by accident.
 */
import { CopyOutlined } from "@ant-design/icons";
import { Alert, App, Button, Modal, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { copyText } from "../lib/clipboard.ts";

export interface SecretValue {
  /** Shown above the value when there are several. */
  label?: string;
  value: string;
  /** data-testid of the value; its copy button gets `${testId}-copy`. */
  testId: string;
}

export function SecretOnceModal({
  open,
  title,
  help,
  doneLabel,
  doneTestId,
  secrets,
  onClose,
}: {
  open: boolean;
  title: string;
  help: string;
  doneLabel: string;
  doneTestId: string;
  secrets: SecretValue[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Modal
      open={open}
      title={title}
      closable={false}
      maskClosable={false}
      keyboard={false}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid={doneTestId}>
          {doneLabel}
        </Button>
      }
    >
      <Alert type="warning" showIcon title={help} style={{ marginBottom: 12 }} />
      {secrets.map((s) => (
        <div key={s.testId} style={{ marginBottom: 8 }}>
          {s.label ? <Typography.Text type="secondary">{s.label}</Typography.Text> : null}
          <Space.Compact style={{ width: "100%" }}>
            <Typography.Text code data-testid={s.testId} style={{ wordBreak: "break-all", flex: 1, padding: "4px 8px" }}>
              {s.value}
            </Typography.Text>
            <Button
              icon={<CopyOutlined />}
              aria-label={s.label ? `${t("common.copy")} ${s.label}` : t("common.copy")}
              onClick={async () => {
                if (await copyText(s.value)) message.success(t("common.copied"));
                else message.error(t("common.copyFailed"));
              }}
              data-testid={`${s.testId}-copy`}
            >
              {t("common.copy")}
            </Button>
          </Space.Compact>
        </div>
      ))}
    </Modal>
  );
}
