/** My commission lines, each with its "why" sentence; filter by state. */
import { Segmented, Skeleton } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import type { CommissionLine, CommissionState, Page } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useEnumLabel } from "../components/labels.tsx";
import { useLoadMore } from "../components/useLoadMore.ts";
import { CommissionCard } from "./CommissionCard.tsx";
import { usePortal } from "./context.tsx";
import { LoadMore } from "./LoadMore.tsx";

const PAGE = 20;

export function CommissionsTab() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const { membership: m } = usePortal();
  const [state, setState] = useState<CommissionState | "all">("all");
  const list = useLoadMore(
    (cursor) =>
      get<Page<CommissionLine>>("/v1/me/commissions", {
        merchantId: m.merchantId,
        programId: m.programId,
        state: state === "all" ? undefined : state,
        limit: PAGE,
        cursor,
      }),
    [m.merchantId, m.programId, state],
  );
  return (
    <div className="portal-page">
      <Segmented<CommissionState | "all">
        block
        size="large"
        value={state}
        onChange={setState}
        options={[
          { value: "all", label: t("common.all") },
          ...(["pending", "available", "reversed"] as const).map((s) => ({ value: s, label: label("commissionState", s) })),
        ]}
        style={{ marginBottom: 12 }}
      />
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {list.items.map((l) => (
        <CommissionCard key={l.id} line={l} />
      ))}
      {list.loading && list.items.length === 0 && <Skeleton active />}
      {!list.loading && !list.error && list.items.length === 0 && <div className="m-empty">{t("portal.noCommissions")}</div>}
      <LoadMore hasMore={list.hasMore} loading={list.loading} onMore={list.more} count={list.items.length} />
    </div>
  );
}
