/**
 * The platform service fee per program (there is no platform-wide default): GET /v1/platform/service-fees, changed
 * with PATCH /v1/programs/{id}/service-fee. Rates are typed in percent and sent in basis points.
 */
import { App, Button, Card, Form, Input, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get, write } from "../api/client.ts";
import type { Items } from "../api/types.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { FormDialog } from "../components/FormDialog.tsx";
import { useAsync } from "../components/hooks.ts";
import { parsePercentBps, percentInput } from "../lib/yuan.ts";
import type { ProgramFee } from "./types.ts";

/** The server's maximum (funding/settings.ts SERVICE_FEE_RATE_MAX_BPS); the server decides, this only helps early. */
const RATE_MAX_BPS = 3_000;

export function FeesCard({ reloadKey }: { reloadKey: number }) {
  const { t } = useTranslation();
  const fees = useAsync(() => get<Items<ProgramFee>>("/v1/platform/service-fees"), [reloadKey]);
  const [editing, setEditing] = useState<ProgramFee | null>(null);
  return (
    <Card title={t("admin.platform.fees")} style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">{t("admin.platform.feesHelp")}</Typography.Paragraph>
      {fees.error ? <ErrorBox error={fees.error} onRetry={fees.reload} /> : null}
      <Table<ProgramFee>
        size="small"
        rowKey="programId"
        data-testid="fees-table"
        loading={fees.loading}
        dataSource={fees.data?.items ?? []}
        pagination={{ pageSize: 10, showSizeChanger: false }}
        scroll={{ x: 600 }}
        columns={[
          { title: t("admin.platform.merchant"), dataIndex: "merchantName" },
          { title: t("admin.platform.program"), dataIndex: "programName" },
          { title: t("admin.platform.rate"), dataIndex: "rateBps", align: "right", render: (v: number) => `${percentInput(v)}%` },
          {
            title: "",
            key: "edit",
            render: (_v, f) => (
              <Button
                size="small"
                aria-label={`${t("admin.platform.edit")} ${f.merchantName} ${f.programName}`}
                onClick={() => setEditing(f)}
              >
                {t("admin.platform.edit")}
              </Button>
            ),
          },
        ]}
      />
      {editing && (
        <FeeDialog
          fee={editing}
          onClose={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            fees.reload();
          }}
        />
      )}
    </Card>
  );
}

function FeeDialog({ fee, onClose, onDone }: { fee: ProgramFee; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rateOf = (text: string | undefined) => {
    const parsed = parsePercentBps(text ?? "");
    return parsed.ok && parsed.value <= RATE_MAX_BPS ? parsed.value : null;
  };
  return (
    <FormDialog<{ rate: string }>
      title={`${t("admin.platform.fees")} · ${fee.merchantName} · ${fee.programName}`}
      okText={t("admin.platform.save")}
      initialValues={{ rate: percentInput(fee.rateBps) }}
      onClose={onClose}
      onSubmit={async (v, key) => {
        await write("PATCH", `/v1/programs/${encodeURIComponent(fee.programId)}/service-fee`, { rateBps: rateOf(v.rate) }, key);
        message.success(t("admin.platform.done"));
        onDone();
      }}
    >
      <Form.Item
        name="rate"
        label={t("admin.platform.ratePercent")}
        rules={[
          {
            validator: (_, v: string | undefined) =>
              rateOf(v) === null ? Promise.reject(new Error(t("admin.platform.rateInvalid"))) : Promise.resolve(),
          },
        ]}
      >
        <Input inputMode="decimal" suffix="%" data-testid="fee-rate" />
      </Form.Item>
    </FormDialog>
  );
}
