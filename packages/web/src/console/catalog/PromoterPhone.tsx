/**
 * A promoter's phone as the merchant's lists show it: masked (138****1234), with "显示" asking the server for the full
 * number — each time an audit entry (POST /v1/promoters/{id}/reveal).
 */
import { EyeOutlined } from "@ant-design/icons";
import { App, Button, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { post } from "../../api/client.ts";
import { useErrorText } from "../../components/hooks.ts";

export function PromoterPhone(props: { promoterId: string; programId: string; name: string; phone: string | null }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [full, setFull] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!props.phone) return <>—</>;
  if (full !== null)
    return (
      <Space size={4}>
        <Typography.Text strong>{full}</Typography.Text>
        <Tag color="orange">{t("customersPage.revealed")}</Tag>
      </Space>
    );
  return (
    <Space size={4}>
      <span>{props.phone}</span>
      <Button
        size="small"
        type="link"
        icon={<EyeOutlined aria-hidden />}
        loading={busy}
        aria-label={t("customersPage.promoterPhoneReveal", { name: props.name })}
        title={t("customersPage.revealNote")}
        onClick={async (e) => {
          e.stopPropagation();
          setBusy(true);
          try {
            const path = `/v1/promoters/${encodeURIComponent(props.promoterId)}/reveal?programId=${encodeURIComponent(props.programId)}`;
            setFull((await post<{ phone: string | null }>(path)).phone ?? "—");
          } catch (err) {
            message.error(errorText(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        {t("customersPage.reveal")}
      </Button>
    </Space>
  );
}
