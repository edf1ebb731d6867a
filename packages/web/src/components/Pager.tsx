import { LeftOutlined, RightOutlined } from "@ant-design/icons";
import { Button, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";

export function Pager(p: {
  pageNumber: number;
  hasPrev: boolean;
  hasNext: boolean;
  prev: () => void;
  next: () => void;
  loading?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Space style={{ marginTop: 12, justifyContent: "flex-end", width: "100%" }}>
      <Button icon={<LeftOutlined />} disabled={!p.hasPrev || p.loading} onClick={p.prev} data-testid="page-prev">
        {t("common.prev")}
      </Button>
      <Typography.Text type="secondary">{t("common.page", { page: p.pageNumber })}</Typography.Text>
      <Button disabled={!p.hasNext || p.loading} onClick={p.next} data-testid="page-next">
        {t("common.next")} <RightOutlined />
      </Button>
    </Space>
  );
}
