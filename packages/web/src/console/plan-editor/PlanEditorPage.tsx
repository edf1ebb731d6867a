/**
 * 方案编辑: the plan as a form (percent and yuan) beside its JSON, kept in sync both ways; the server's lint on every
 * change with each finding on its field; the what-if of the draft beside the editor; save, publish; a diff of versions.
 */
import { Alert, App, Button, Card, Col, Input, Popconfirm, Row, Select, Space, Tabs, Typography } from "antd";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ApiError, get, post } from "../../api/client.ts";
import type { Items, LintResult, PlanVersion, SimResult } from "../../api/types.ts";
import { ErrorBox } from "../../components/ErrorBox.tsx";
import { useAsync, useErrorText, useLang } from "../../components/hooks.ts";
import { useEnumLabel } from "../../components/labels.tsx";
import { useConsole } from "../context.tsx";
import { type Json, jsonErrorAt, jsonOnlyPaths, setAt } from "./doc.ts";
import { type EditorApi, EditorContext } from "./fields.tsx";
import { type Finding, findingsOf, focusPath, LintPanel } from "./LintPanel.tsx";
import { PlanForm } from "./PlanForm.tsx";
import { fill, stringsFor } from "./strings.ts";
import { VersionDiff } from "./VersionDiff.tsx";
import { WhatIf } from "./WhatIf.tsx";
import "./plan-editor.css";

const pretty = (d: unknown) => JSON.stringify(d, null, 2);
const LINT_DELAY_MS = 400;

export default function PlanEditorPage() {
  const lang = useLang();
  const s = stringsFor(lang);
  const errorText = useErrorText();
  const label = useEnumLabel();
  const { message } = App.useApp();
  const { program } = useConsole();
  const base = `/v1/programs/${encodeURIComponent(program.id)}`;
  const versions = useAsync(() => get<Items<PlanVersion>>(`${base}/plans`), [base]);
  const items = useMemo(() => [...(versions.data?.items ?? [])].sort((a, b) => b.version - a.version), [versions.data]);

  const [doc, setDocState] = useState<Json>({ version: 1 });
  const [jsonText, setJsonText] = useState(pretty({ version: 1 }));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [from, setFrom] = useState<number | null>(null);
  const [lint, setLint] = useState<{ for: string; result: LintResult } | null>(null);
  const [sim, setSim] = useState<{ for: string; result: SimResult } | null>(null);
  const [busy, setBusy] = useState<"sim" | "save" | "publish" | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [tab, setTab] = useState("form");

  /** A change from the form: the JSON view follows. */
  const setDoc = useCallback((d: Json) => {
    setDocState(d);
    setJsonText(pretty(d));
    setJsonError(null);
  }, []);

  const load = useCallback(
    (v: PlanVersion) => {
      setFrom(v.version);
      setDoc(v.document as Json);
    },
    [setDoc],
  );
  useEffect(() => {
    if (from === null && items[0]) load(items[0]);
  }, [items, from, load]);

  // The server's lint, the same check publishing runs, on every change (debounced).
  const docKey = JSON.stringify(doc);
  const seq = useRef(0);
  useEffect(() => {
    const n = ++seq.current;
    const timer = setTimeout(async () => {
      try {
        const result = await post<LintResult>(`${base}/plans/lint`, { document: JSON.parse(docKey) });
        if (n === seq.current) setLint({ for: docKey, result });
      } catch (e) {
        if (n === seq.current) setProblem(errorText(e));
      }
    }, LINT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [docKey, base, errorText]);

  const current = lint?.for === docKey ? lint.result : null;
  const findings: Finding[] = useMemo(() => (current ? findingsOf(current, lang) : []), [current, lang]);
  const byPath = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const f of findings) m.set(f.path, [...(m.get(f.path) ?? []), f.text]);
    return m;
  }, [findings]);

  const api: EditorApi = {
    doc,
    update: (path, value) => setDoc(setAt(doc, path, value)),
    findings: (p) => byPath.get(p) ?? [],
    s,
    lang,
  };

  function onJson(text: string) {
    setJsonText(text);
    try {
      const d = JSON.parse(text) as Json;
      setDocState(d);
      setJsonError(null);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      setJsonError(fill(s.invalidJson, { ...jsonErrorAt(text, msg), message: msg }));
    }
  }

  async function whatIf() {
    setBusy("sim");
    setProblem(null);
    try {
      setSim({ for: docKey, result: await post<SimResult>(`${base}/simulate`, { document: doc }) });
    } catch (e) {
      setProblem(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  async function save(andPublish: boolean) {
    setBusy(andPublish ? "publish" : "save");
    setProblem(null);
    try {
      const r = await post<{ version: number }>(`${base}/plans`, { document: doc });
      if (andPublish) {
        await post(`${base}/plans/${r.version}/publish`, {});
        message.success(fill(s.published, { version: r.version }));
      } else message.success(fill(s.draftSaved, { version: r.version }));
      setFrom(r.version);
      versions.reload();
    } catch (e) {
      if (e instanceof ApiError && (e.code === "PLAN_INVALID" || e.code === "PLAN_LINT_FAILED")) {
        const d = e.details as Partial<LintResult>;
        setLint({
          for: docKey,
          result: { valid: e.code !== "PLAN_INVALID", issues: d.issues ?? [], errors: d.errors ?? [], warnings: d.warnings ?? [] },
        });
      }
      setProblem(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  const blocked = jsonError !== null || !current || !current.valid || current.errors.length > 0;
  /** Lead to the field of a finding: the form's control, or the JSON view when the form has none. */
  const goTo = (path: string) => {
    setTab("form");
    setTimeout(() => {
      if (!focusPath(path)) setTab("json");
    }, 30);
  };

  if (versions.error) return <ErrorBox error={versions.error} onRetry={versions.reload} />;
  return (
    <EditorContext.Provider value={api}>
      <div className="plan-editor">
        <Typography.Title level={3}>{s.title}</Typography.Title>
        <Typography.Paragraph type="secondary">{s.help}</Typography.Paragraph>
        <Space wrap style={{ marginBottom: 12 }}>
          <span className="pe-label">{s.startFrom}</span>
          <Select
            aria-label={s.startFrom}
            data-testid="pe-from"
            style={{ width: 200 }}
            value={from ?? undefined}
            options={items.map((v) => ({ value: v.version, label: `v${v.version} · ${label("planStatus", v.status)}` }))}
            onChange={(n: number) => {
              const v = items.find((x) => x.version === n);
              if (v) load(v);
            }}
          />
          <Button onClick={() => save(false)} loading={busy === "save"} disabled={jsonError !== null} data-testid="pe-save">
            {s.saveDraft}
          </Button>
          <Popconfirm
            title={s.publishConfirm}
            onConfirm={() => save(true)}
            okButtonProps={{ "data-testid": "pe-publish-ok" } as Record<`data-${string}`, string>}
          >
            <Button type="primary" loading={busy === "publish"} disabled={blocked} data-testid="pe-publish">
              {s.publish}
            </Button>
          </Popconfirm>
        </Space>
        {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} closable onClose={() => setProblem(null)} />}
        <Row gutter={16}>
          <Col xs={24} xl={14}>
            <Card size="small">
              <Tabs
                activeKey={tab}
                onChange={setTab}
                items={[
                  { key: "form", label: s.form, children: <PlanForm setDoc={setDoc} jsonOnly={jsonOnlyPaths(doc)} /> },
                  {
                    key: "json",
                    label: s.json,
                    forceRender: true,
                    children: (
                      <>
                        <Input.TextArea
                          aria-label={s.json}
                          data-testid="pe-json"
                          value={jsonText}
                          onChange={(e) => onJson(e.target.value)}
                          autoSize={{ minRows: 16, maxRows: 40 }}
                          spellCheck={false}
                          status={jsonError ? "error" : undefined}
                          className="pe-json"
                        />
                        {jsonError && (
                          <Alert type="error" showIcon title={jsonError} style={{ marginTop: 8 }} data-testid="pe-json-error" />
                        )}
                      </>
                    ),
                  },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={10} className="pe-side">
            <div className="pe-side-inner">
              <LintPanel result={current} findings={findings} onGo={goTo} checking={!current && !jsonError} />
              <WhatIf
                sim={sim?.for === docKey ? sim.result : null}
                stale={sim !== null && sim.for !== docKey}
                onRun={whatIf}
                busy={busy === "sim"}
              />
            </div>
          </Col>
        </Row>
        <VersionDiff versions={items} draft={doc} statusLabel={(st) => label("planStatus", st)} />
      </div>
    </EditorContext.Provider>
  );
}
