/** 推广员: code, inviter, rank, status, net sales and balances; a drawer shows the team (level 1 and 2). */
import { Card, Drawer, Empty, Input, Table, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import type { Items, Promoter, TeamMember } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useLang } from "../components/hooks.ts";
import { PromoterStatusTag } from "../components/labels.tsx";
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

function TeamDrawer({ promoter, onClose }: { promoter: Promoter | null; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { program } = useConsole();
  const team = useAsync(
    async () =>
      promoter ? get<Items<TeamMember>>(`/v1/promoters/${encodeURIComponent(promoter.promoterId)}/team`, { programId: program.id }) : null,
    [promoter?.promoterId, program.id],
  );
  const members = team.data?.items ?? [];

  const table = (level: number) => {
    const rows = members.filter((m) => m.level === level);
    return (
      <Table<TeamMember>
        size="small"
        rowKey="promoterId"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: t("promoters.noTeam") }}
        columns={[
          { title: t("promoters.name"), dataIndex: "name" },
          { title: t("promoters.phone"), dataIndex: "phone", render: (v: string | null) => v ?? "—" },
          { title: t("promoters.rank"), dataIndex: "rank", render: (v: string | null) => v ?? t("promoters.rankNone") },
          { title: t("promoters.joinedAt"), dataIndex: "joinedAt", render: (v: string) => date(v, lang) },
          { title: t("promoters.sales"), dataIndex: "salesMinor", align: "right", render: (v: number) => money(v, program.currency) },
        ]}
      />
    );
  };

  return (
    <Drawer
      open={promoter !== null}
      onClose={onClose}
      size={640}
      title={promoter ? t("promoters.teamOf", { name: promoter.name }) : ""}
      destroyOnHidden
    >
      {team.error ? (
        <ErrorBox error={team.error} onRetry={team.reload} />
      ) : team.loading ? (
        <Card loading />
      ) : members.length === 0 ? (
        <Empty description={t("promoters.noTeam")} />
      ) : (
        <div data-testid="team-drawer">
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t("promoters.level1")} · {members.filter((m) => m.level === 1).length}
          </Typography.Title>
          {table(1)}
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t("promoters.level2")} · {members.filter((m) => m.level === 2).length}
          </Typography.Title>
          {table(2)}
        </div>
      )}
    </Drawer>
  );
}
