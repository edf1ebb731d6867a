/**
 * 推广员: the server-side list (search by name, phone or code; filter by status and rank; sort by joining, sales, earnings
 * or team size; a total), its CSV export, a drawer with the team (level 1 and 2) and a link to the promoter's page.
 */
import { DownloadOutlined } from "@ant-design/icons";
import { App, Button, Card, Drawer, Empty, Input, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { get } from "../api/client.ts";
import type { Promoter, TeamMember } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync, useErrorText, useLang } from "../components/hooks.ts";
import { PromoterStatusTag } from "../components/labels.tsx";
import { rowOpens } from "../components/rowOpens.ts";
import { type TeamLevelList, useTeamPages } from "../components/useTeamPages.ts";
import { downloadCsv } from "../lib/download.ts";
import { date, money } from "../lib/format.ts";
import { PromoterPhone } from "./catalog/PromoterPhone.tsx";
import { useConsole } from "./context.tsx";

const LIST_PAGE = 20;
type Sort = "joined" | "sales" | "earnings" | "team";
interface ListRow extends Promoter {
  earnedMinor: number;
  teamSize: number;
}

export function PromotersPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { program, promoterName } = useConsole();
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<string | undefined>();
  const [rank, setRank] = useState("");
  const [sort, setSort] = useState<Sort>("joined");
  const [pageNo, setPageNo] = useState(1);
  const [open, setOpen] = useState<Promoter | null>(null);
  const cur = program.currency;
  const filters = { programId: program.id, q: q.trim() || undefined, status, rank: rank.trim() || undefined, sort };
  const list = useAsync(
    () => get<{ items: ListRow[]; total: number }>("/v1/promoters", { ...filters, limit: LIST_PAGE, offset: (pageNo - 1) * LIST_PAGE }),
    [program.id, q, status, rank, sort, pageNo],
  );
  const money0 = (v: number) => money(v, cur);

  return (
    <div>
      <Typography.Title level={3}>{t("promoters.title")}</Typography.Title>
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            placeholder={`${t("promoters.name")} / ${t("promoters.code")} / ${t("promoters.phone")}`}
            style={{ width: 280 }}
            onChange={(e) => {
              setQ(e.target.value);
              setPageNo(1);
            }}
            data-testid="promoters-search"
          />
          <Select
            allowClear
            aria-label={t("promoters.status")}
            placeholder={t("promoters.status")}
            style={{ width: 140 }}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPageNo(1);
            }}
            options={(["active", "suspended", "left"] as const).map((v) => ({ value: v, label: t(`promoterStatus.${v}`) }))}
          />
          <Input
            allowClear
            aria-label={t("promoters.rank")}
            placeholder={t("promoters.rank")}
            style={{ width: 140 }}
            onChange={(e) => {
              setRank(e.target.value);
              setPageNo(1);
            }}
          />
          <Select<Sort>
            aria-label={t("promoterPage.sortBy")}
            style={{ width: 160 }}
            value={sort}
            onChange={setSort}
            prefix={t("promoterPage.sortBy")}
            options={[
              { value: "joined", label: t("promoterPage.sortJoined") },
              { value: "sales", label: t("promoterPage.sortSales") },
              { value: "earnings", label: t("promoterPage.sortEarnings") },
              { value: "team", label: t("promoterPage.sortTeam") },
            ]}
            data-testid="promoters-sort"
          />
          <Button
            icon={<DownloadOutlined />}
            data-testid="promoters-export"
            onClick={() => downloadCsv("/v1/promoters/export.csv", filters, "promoters.csv").catch((e) => message.error(errorText(e)))}
          >
            {t("csv.export")}
          </Button>
        </Space>
        {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
        <Table<ListRow>
          data-testid="promoters-table"
          rowKey={(r) => `${r.programId}:${r.promoterId}`}
          size="middle"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1200 }}
          pagination={{
            current: pageNo,
            pageSize: LIST_PAGE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            onChange: setPageNo,
            showTotal: (n) => t("promoterPage.total", { n }),
          }}
          onRow={(r) => rowOpens(() => setOpen(r))}
          columns={[
            { title: t("promoters.name"), dataIndex: "name", render: (v: string) => <Typography.Link>{v}</Typography.Link> },
            { title: t("promoters.code"), dataIndex: "code", render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            {
              title: t("promoters.phone"),
              dataIndex: "phone",
              render: (v: string | null, r) => <PromoterPhone promoterId={r.promoterId} programId={r.programId} name={r.name} phone={v} />,
            },
            { title: t("promoters.inviter"), dataIndex: "inviterId", render: (v: string | null) => (v ? promoterName(v) : "—") },
            { title: t("promoters.rank"), dataIndex: "rank", render: (v: string | null) => <Tag>{v ?? t("promoters.rankNone")}</Tag> },
            { title: t("promoters.status"), dataIndex: "status", render: (v: string) => <PromoterStatusTag status={v} /> },
            { title: t("promoters.joinedAt"), dataIndex: "joinedAt", render: (v: string) => date(v, lang) },
            { title: t("promoters.netSales"), dataIndex: "netSalesMinor", align: "right", render: money0 },
            { title: t("promoterPage.earned"), dataIndex: "earnedMinor", align: "right", render: money0 },
            { title: t("promoterPage.teamSize"), dataIndex: "teamSize", align: "right" },
            { title: t("promoters.pending"), dataIndex: "pendingMinor", align: "right", render: money0 },
            { title: t("promoters.available"), dataIndex: "availableMinor", align: "right", render: money0 },
            {
              title: "",
              key: "open",
              render: (_: unknown, r) => (
                <Link
                  to={`/console/promoters/${encodeURIComponent(r.promoterId)}`}
                  onClick={(e) => e.stopPropagation()}
                  data-testid={`open-${r.code}`}
                >
                  {t("promoterPage.open")}
                </Link>
              ),
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
