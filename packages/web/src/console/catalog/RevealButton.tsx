/**
 * "显示": asks the server for one person's full data (an audited call) and hands it to the caller; errors as a message.
 * Used by the customers list and the promoters list.
 */
import { EyeOutlined } from "@ant-design/icons";
import { App, Button } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useErrorText } from "../../components/hooks.ts";

export function RevealButton(props: { label: string; testId?: string; link?: boolean; reveal: () => Promise<void> }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      size="small"
      type={props.link ? "link" : "default"}
      icon={<EyeOutlined aria-hidden />}
      loading={busy}
      aria-label={props.label}
      title={t("customersPage.revealNote")}
      data-testid={props.testId}
      onClick={async (e) => {
        e.stopPropagation();
        setBusy(true);
        try {
          await props.reveal();
        } catch (err) {
          message.error(errorText(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      {t("customersPage.reveal")}
    </Button>
  );
}
