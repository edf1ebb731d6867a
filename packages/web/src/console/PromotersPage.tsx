/** 推广员: code, inviter, rank, status, net sales and balances; a drawer shows the team (level 1 and 2). */
import { Button, Card, Drawer, Empty, Input, Table, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Promoter, TeamMember } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useLang } from "../components/hooks.ts";
import { PromoterStatusTag } from "../components/labels.tsx";
import { type TeamLevelList, useTeamPages } from "../components/useTeamPages.ts";
import { date, money } from "../lib/format.ts";
import { useConsole } from "./context.tsx";

export function PromotersPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { program, promoters, promoterName } = useConsole();
  const [q, setQ] = useState("");
  const [open, setOpen] = useState<Promoter | null>(null);
  const cur = program.currency;
  const rows = useMemo(() => {
    const s = q.trim().toLowerCase();
    return s
      ? promoters.filter((p) => p.name.toLowerCase().includes(s) || p.code.toLowerCase().includes(s) || (p.phone ?? "").includes(s))
      : promoters;
  }, [promoters, q]);

  return (
    <div>
      <Typography.Title level={3}>{t("promoters.title")}</Typography.Title>
      <Card>
        <Input.Search
          allowClear
          placeholder={`${t("promoters.name")} / ${t("promoters.code")} / ${t("promoters.phone")}`}
          style={{ maxWidth: 320, marginBottom: 12 }}
          onChange={(e) => setQ(e.target.value)}
        />
        <Table<Promoter>
          data-testid="promoters-table"
          rowKey="promoterId"
          size="middle"
          dataSource={rows}
          scroll={{ x: 1000 }}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          onRow={(r) => ({ onClick: () => setOpen(r), style: { cursor: "pointer" } })}
          columns={[
            { title: t("promoters.name"), dataIndex: "name", render: (v: string) => <Typography.Link>{v}</Typography.Link> },
            { title: t("promoters.code"), dataIndex: "code", render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            { title: t("promoters.phone"), dataIndex: "phone", render: (v: string | null) => v ?? "—" },
            { title: t("promoters.inviter"), dataIndex: "inviterId", render: (v: string | null) => (v ? promoterName(v) : "—") },
            { title: t("promoters.rank"), dataIndex: "rank", render: (v: string | null) => <Tag>{v ?? t("promoters.rankNone")}</Tag> },
            { title: t("promoters.status"), dataIndex: "status", render: (v: string) => <PromoterStatusTag status={v} /> },
            { title: t("promoters.joinedAt"), dataIndex: "joinedAt", render: (v: string) => date(v, lang) },
            {
              title: t("promoters.netSales"),
              dataIndex: "netSalesMinor",
              align: "right",
              sorter: (a, b) => a.netSalesMinor - b.netSalesMinor,
              render: (v: number) => money(v, cur),
            },
            {
              title: t("promoters.pending"),
              dataIndex: "pendingMinor",
              align: "right",
              sorter: (a, b) => a.pendingMinor - b.pendingMinor,
              render: (v: number) => money(v, cur),
            },
            {
              title: t("promoters.available"),
              dataIndex: "availableMinor",
              align: "right",
              sorter: (a, b) => a.availableMinor - b.availableMinor,
              render: (v: number) => money(v, cur),
            },
          ]}
        />
      </Card>
      <TeamDrawer promoter={open} onClose={() => setOpen(null)} />
    </div>
  );
}

/** Members per page of each level in the team drawer. */
const TEAM_PAGE = 100;

function TeamDrawer({ promoter, onClose }: { promoter: Promoter | null; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { program } = useConsole();
  const team = useTeamPages(
    promoter ? `/v1/promoters/${encodeURIComponent(promoter.promoterId)}/team` : null,
    { programId: program.id },
    TEAM_PAGE,
    [promoter?.promoterId, program.id],
  );
  const { counts } = team;

  const table = (level: 1 | 2, list: TeamLevelList) => (
    <div data-testid={`team-drawer-level-${level}`}>
      <Typography.Title level={5} style={{ marginTop: level === 1 ? 0 : 24 }}>
        {level === 1 ? t("promoters.level1") : t("promoters.level2")} · {level === 1 ? counts?.level1 : counts?.level2}
      </Typography.Title>
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      <Table<TeamMember>
        size="small"
        rowKey="promoterId"
        pagination={false}
        loading={list.loading}
        dataSource={list.items}
        locale={{ emptyText: t("promoters.noTeam") }}
        columns={[
          { title: t("promoters.name"), dataIndex: "name" },
          { title: t("promoters.phone"), dataIndex: "phone", render: (v: string | null) => v ?? "—" },
          { title: t("promoters.rank"), dataIndex: "rank", render: (v: string | null) => v ?? t("promoters.rankNone") },
          { title: t("promoters.joinedAt"), dataIndex: "joinedAt", render: (v: string) => date(v, lang) },
          { title: t("promoters.sales"), dataIndex: "salesMinor", align: "right", render: (v: number) => money(v, program.currency) },
        ]}
      />
      {list.hasMore && (
        <Button block style={{ marginTop: 8 }} loading={list.loading} onClick={list.more} data-testid={`team-drawer-more-${level}`}>
          {t("common.loadMore")}
        </Button>
      )}
    </div>
  );

  return (
    <Drawer
      open={promoter !== null}
      onClose={onClose}
      size={640}
      title={promoter ? t("promoters.teamOf", { name: promoter.name }) : ""}
      destroyOnHidden
    >
      {team.loading ? (
        <Card loading />
      ) : team.empty ? (
        <Empty description={t("promoters.noTeam")} />
      ) : (
        <div data-testid="team-drawer">
          {table(1, team.levels[1])}
          {table(2, team.levels[2])}
        </div>
      )}
    </Drawer>
  );
}
