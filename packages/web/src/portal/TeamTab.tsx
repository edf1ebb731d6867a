/** My team: level-1 and level-2 invitees (masked), with their sales, each level a page at a time. */
import { Skeleton, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useLang } from "../components/hooks.ts";
import { type TeamLevelList, useTeamPages } from "../components/useTeamPages.ts";
import { date, money } from "../lib/format.ts";
import { usePortal } from "./context.tsx";
import { InviteCard, PosterCard } from "./GrowthCards.tsx";
import { LoadMore } from "./LoadMore.tsx";

const PAGE = 50;

export function TeamTab() {
  const { t } = useTranslation();
  const lang = useLang();
  const { membership: m } = usePortal();
  const team = useTeamPages("/v1/me/team", { merchantId: m.merchantId, programId: m.programId }, PAGE, [m.merchantId, m.programId]);
  const { counts } = team;

  const section = (level: 1 | 2, list: TeamLevelList) => (
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
      {m.status === "active" && (
        <>
          <InviteCard />
          <PosterCard />
        </>
      )}
      {team.loading ? (
        <Skeleton active />
      ) : team.empty ? (
        <div className="m-empty">{t("portal.noTeam")}</div>
      ) : (
        <>
          {section(1, team.levels[1])}
          {section(2, team.levels[2])}
        </>
      )}
    </div>
  );
}
