import { Button } from "antd";
import { useTranslation } from "react-i18next";

export function LoadMore({ hasMore, loading, onMore, count }: { hasMore: boolean; loading: boolean; onMore: () => void; count: number }) {
  const { t } = useTranslation();
  if (!hasMore) return count > 0 ? <div className="m-end">{t("common.noMore")}</div> : null;
  return (
    <Button block size="large" loading={loading} onClick={onMore} className="m-more">
      {t("common.loadMore")}
    </Button>
  );
}
