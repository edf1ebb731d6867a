/** My team: level-1 and level-2 invitees (masked), with their sales, each level a page at a time. */
import { Skeleton, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import type { TeamMember, TeamPage } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useLang } from "../components/hooks.ts";
import { useLoadMore } from "../components/useLoadMore.ts";
import { date, money } from "../lib/format.ts";
import { usePortal } from "./context.tsx";
import { LoadMore } from "./LoadMore.tsx";

const PAGE = 50;

export function TeamTab() {
  const { t } = useTranslation();
  const lang = useLang();
  const { membership: m } = usePortal();
  const [counts, setCounts] = useState<TeamPage["counts"] | null>(null);
  const load = (level: 1 | 2) => async (cursor: string | undefined) => {
    const p = await get<TeamPage>("/v1/me/team", { merchantId: m.merchantId, programId: m.programId, level, limit: PAGE, cursor });
    setCounts(p.counts);
    return p;
  };
  const level1 = useLoadMore(load(1), [m.merchantId, m.programId]);
  const level2 = useLoadMore(load(2), [m.merchantId, m.programId]);

  const section = (level: 1 | 2, list: ReturnType<typeof useLoadMore<TeamMember>>) => (
    <section className="m-group" data-testid={`team-level-${level}`}>
      <div className="m-section-head">
        <span className="m-section-title">{level === 1 ? t("portal.level1") : t("portal.level2")}</span>
        <Tag>{level === 1 ? counts?.level1 : counts?.level2}</Tag>
      </div>
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {!list.loading && !list.error && list.items.length === 0 && <div className="m-empty">—</div>}
      {list.items.map((x) => (
        <div className="m-card" key={x.promoterId} data-testid="team-member">
          <div className="m-row">
            <Typography.Text strong>
              {x.name} <span className="m-phone">{x.phone ?? ""}</span>
            </Typography.Text>
            <Typography.Text>{t("portal.teamSales", { amount: money(x.salesMinor, m.currency) })}</Typography.Text>
          </div>
          <div className="m-meta">
            <Tag>{x.rank ?? t("promoters.rankNone")}</Tag>
            <span>{date(x.joinedAt, lang)}</span>
          </div>
        </div>
      ))}
      {list.hasMore && <LoadMore hasMore loading={list.loading} onMore={list.more} count={list.items.length} />}
    </section>
  );

  return (
    <div className="portal-page">
      {counts === null && !level1.error && !level2.error ? (
        <Skeleton active />
      ) : counts !== null && counts.level1 + counts.level2 === 0 ? (
        <div className="m-empty">{t("portal.noTeam")}</div>
      ) : (
        <>
          {section(1, level1)}
          {section(2, level2)}
        </>
      )}
    </div>
  );
}
