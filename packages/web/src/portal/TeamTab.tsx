/** My team: level-1 and level-2 invitees (masked), with their sales. */
import { Skeleton, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import type { Items, TeamMember } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useLang } from "../components/hooks.ts";
import { date, money } from "../lib/format.ts";
import { usePortal } from "./context.tsx";

export function TeamTab() {
  const { t } = useTranslation();
  const lang = useLang();
  const { membership: m } = usePortal();
  const team = useAsync(
    () => get<Items<TeamMember>>("/v1/me/team", { merchantId: m.merchantId, programId: m.programId }),
    [m.merchantId, m.programId],
  );
  const items = team.data?.items ?? [];

  const section = (level: 1 | 2) => {
    const rows = items.filter((x) => x.level === level);
    return (
      <section className="m-group" data-testid={`team-level-${level}`}>
        <div className="m-section-head">
          <span className="m-section-title">{level === 1 ? t("portal.level1") : t("portal.level2")}</span>
          <Tag>{rows.length}</Tag>
        </div>
        {rows.length === 0 && <div className="m-empty">—</div>}
        {rows.map((x) => (
          <div className="m-card" key={x.promoterId}>
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
      </section>
    );
  };

  return (
    <div className="portal-page">
      {team.error ? (
        <ErrorBox error={team.error} onRetry={team.reload} />
      ) : !team.data ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <div className="m-empty">{t("portal.noTeam")}</div>
      ) : (
        <>
          {section(1)}
          {section(2)}
        </>
      )}
    </div>
  );
}
