/**
 * A promoter's phone as the merchant's lists show it: masked (138****1234), with "显示" asking the server for the full
 * number — each time an audit entry (POST /v1/promoters/{id}/reveal).
 */
import { Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { post } from "../../api/client.ts";
import { RevealButton } from "./RevealButton.tsx";

export function PromoterPhone(props: { promoterId: string; programId: string; name: string; phone: string | null }) {
  const { t } = useTranslation();
  const [full, setFull] = useState<string | null>(null);
  if (!props.phone) return <>—</>;
  if (full !== null)
    return (
      <Space size={4}>
        <Typography.Text strong>{full}</Typography.Text>
        <Tag color="orange">{t("customersPage.revealed")}</Tag>
      </Space>
    );
  const path = `/v1/promoters/${encodeURIComponent(props.promoterId)}/reveal`;
  return (
    <Space size={4}>
      <span>{props.phone}</span>
      <RevealButton
        link
        label={t("customersPage.promoterPhoneReveal", { name: props.name })}
        reveal={async () => setFull((await post<{ phone: string | null }>(path, { programId: props.programId })).phone ?? "—")}
      />
    </Space>
  );
}
