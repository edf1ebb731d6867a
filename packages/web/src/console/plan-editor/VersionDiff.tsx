/** A diff between any two versions (or a version and the draft being edited): field by field, then the raw JSON. */
import { Card, Select, Space, Table, Tabs, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import type { PlanVersion } from "../../api/types.ts";
import { type FieldChange, fieldDiff, lineDiff } from "./diff.ts";
import type { Json } from "./doc.ts";
import { useEditor } from "./fields.tsx";
import { formatValue, pathLabel } from "./labels.ts";

const DRAFT = -1;

export function VersionDiff({
  versions,
  draft,
  statusLabel,
}: {
  versions: PlanVersion[];
  draft: Json;
  statusLabel: (status: string) => string;
}) {
  const { s, lang } = useEditor();
  const [a, setA] = useState<number | null>(null);
  const [b, setB] = useState<number>(DRAFT);
  const left = a ?? versions[0]?.version ?? null;
  const docOf = (n: number | null) => (n === DRAFT ? draft : (versions.find((v) => v.version === n)?.document ?? {}));
  const da = docOf(left);
  const db = docOf(b);
  const changes = useMemo(() => fieldDiff(da, db), [da, db]);
  const lines = useMemo(() => lineDiff(JSON.stringify(da, null, 2), JSON.stringify(db, null, 2)), [da, db]);
  const options = [
    { value: DRAFT, label: s.draft },
    ...versions.map((v) => ({ value: v.version, label: `v${v.version} · ${statusLabel(v.status)}` })),
  ];
  const kindTag = (k: FieldChange["kind"]) => <Tag color={k === "added" ? "green" : k === "removed" ? "red" : "blue"}>{s[k]}</Tag>;
  return (
    <Card size="small" title={s.diff} style={{ marginTop: 16 }} data-testid="pe-diff">
      <Space wrap style={{ marginBottom: 12 }}>
        <span className="pe-label">{s.diffFrom}</span>
        <Select aria-label={s.diffFrom} style={{ width: 180 }} value={left ?? undefined} options={options} onChange={setA} />
        <span className="pe-label">{s.diffTo}</span>
        <Select aria-label={s.diffTo} style={{ width: 180 }} value={b} options={options} onChange={setB} data-testid="pe-diff-to" />
      </Space>
      <Tabs
        items={[
          {
            key: "fields",
            label: s.fieldDiff,
            children:
              changes.length === 0 ? (
                <Typography.Text type="secondary">{s.noChanges}</Typography.Text>
              ) : (
                <Table<FieldChange>
                  size="small"
                  rowKey="path"
                  pagination={false}
                  dataSource={changes}
                  data-testid="pe-diff-fields"
                  columns={[
                    { title: "", dataIndex: "kind", width: 70, render: kindTag },
                    {
                      title: s.field,
                      dataIndex: "path",
                      render: (p: string) => (
                        <span>
                          {pathLabel(p, lang)}{" "}
                          <Typography.Text type="secondary" code>
                            {p}
                          </Typography.Text>
                        </span>
                      ),
                    },
                    { title: s.before, dataIndex: "before", render: (v: unknown, r) => formatValue(r.path, v) },
                    { title: s.after, dataIndex: "after", render: (v: unknown, r) => formatValue(r.path, v) },
                  ]}
                />
              ),
          },
          {
            key: "raw",
            label: s.rawDiff,
            children: (
              <pre className="json-view pe-line-diff" data-testid="pe-diff-raw">
                {lines.map((l, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: lines are positions in the diff
                  <div key={i} className={l.op === "+" ? "pe-add" : l.op === "-" ? "pe-del" : undefined}>
                    {l.op} {l.text}
                  </div>
                ))}
              </pre>
            ),
          },
        ]}
      />
    </Card>
  );
}
