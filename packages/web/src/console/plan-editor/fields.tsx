/** Form controls bound to a path of the plan document: percent, yuan, text, lists, selects; each shows its findings. */
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Input, Select, Switch, Typography } from "antd";
import { createContext, type ReactNode, useContext, useEffect, useId, useState } from "react";
import type { Language } from "../../i18n/languages.ts";
import { fieldId, getAt, type Json, pathText, type Seg } from "./doc.ts";
import type { Strings } from "./strings.ts";
import { bpsToPercent, fenToYuan, type Parsed, parseScaled } from "./units.ts";

export interface EditorApi {
  doc: Json;
  update: (path: readonly Seg[], value: Json | undefined) => void;
  /** Findings (already worded in the UI language) at exactly this path. */
  findings: (path: string) => string[];
  s: Strings;
  lang: Language;
}
export const EditorContext = createContext<EditorApi | null>(null);
export function useEditor(): EditorApi {
  const e = useContext(EditorContext);
  if (!e) throw new Error("useEditor outside the plan editor");
  return e;
}

type Kind = "pct" | "yuan" | "int" | "text" | "ids" | "yuanList";

function toText(kind: Kind, v: unknown): string {
  if (v === undefined || v === null) return "";
  if (kind === "pct" && typeof v === "number") return bpsToPercent(v);
  if (kind === "yuan" && typeof v === "number") return fenToYuan(v);
  if (kind === "ids" && Array.isArray(v)) return v.join(", ");
  if (kind === "yuanList" && Array.isArray(v)) return v.map((x) => (typeof x === "number" ? fenToYuan(x) : String(x))).join(", ");
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** The document value for a typed text; undefined removes an optional field. */
function fromText(kind: Kind, text: string, optional: boolean): Parsed | { ok: true; value: Json | undefined } {
  const t = text.trim();
  if (t === "" && (optional || kind === "ids")) return { ok: true, value: undefined };
  if (kind === "text") return { ok: true, value: text };
  if (kind === "ids")
    return {
      ok: true,
      value: t
        .split(/[,，\s]+/)
        .map((x) => x.trim())
        .filter(Boolean),
    };
  if (kind === "yuanList") {
    const out: number[] = [];
    for (const part of t.split(/[,，\s]+/).filter(Boolean)) {
      const p = parseScaled(part, 2);
      if (!p.ok) return p;
      out.push(p.value);
    }
    return { ok: true, value: out };
  }
  return parseScaled(t, kind === "int" ? 0 : 2);
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function Field({
  path,
  label,
  kind,
  optional = false,
  width = 140,
  placeholder,
}: {
  path: readonly Seg[];
  label: string;
  kind: Kind;
  optional?: boolean;
  width?: number | string;
  placeholder?: string;
}) {
  const { doc, update, findings, s } = useEditor();
  const value = getAt(doc, path);
  const [text, setText] = useState(() => toText(kind, value));
  const [local, setLocal] = useState<string | null>(null);
  const helpId = useId();
  // A change from elsewhere (the JSON view, another version) replaces the text unless it already means that value.
  const valueKey = JSON.stringify(value);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only an outside change of the value (valueKey) resets the text
  useEffect(() => {
    const p = fromText(kind, text, optional);
    if (!(p.ok && sameJson(p.value, value))) {
      setText(toText(kind, value));
      setLocal(null);
    }
  }, [valueKey]);
  const msgs = findings(pathText(path));
  const all = local ? [local, ...msgs] : msgs;
  return (
    <div className={`pe-field${all.length ? " pe-field-error" : ""}`} data-path={pathText(path)}>
      <label htmlFor={fieldId(path)} className="pe-label">
        {label}
      </label>
      <Input
        id={fieldId(path)}
        value={text}
        placeholder={placeholder}
        status={all.length ? "error" : undefined}
        aria-invalid={all.length > 0}
        aria-describedby={all.length ? helpId : undefined}
        style={{ width }}
        suffix={kind === "pct" ? "%" : kind === "yuan" ? "¥" : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const p = fromText(kind, e.target.value, optional);
          if (!p.ok) {
            setLocal(p.reason === "precision" ? s.badPrecision : p.reason === "range" ? s.badRange : s.badNumber);
            return;
          }
          setLocal(null);
          update(path, p.value as Json | undefined);
        }}
      />
      {all.length > 0 && (
        <div id={helpId} className="pe-help" role="alert">
          {all.map((m) => (
            <Typography.Text key={m} type="danger">
              {m}
            </Typography.Text>
          ))}
        </div>
      )}
    </div>
  );
}

export function Choice({
  path,
  label,
  options,
  width = 200,
}: {
  path: readonly Seg[];
  label: string;
  options: { value: string; label: string }[];
  width?: number;
}) {
  const { doc, update, findings } = useEditor();
  const v = getAt(doc, path);
  const msgs = findings(pathText(path));
  return (
    <div className={`pe-field${msgs.length ? " pe-field-error" : ""}`} data-path={pathText(path)}>
      <span className="pe-label">{label}</span>
      <Select
        id={fieldId(path)}
        aria-label={label}
        value={typeof v === "string" ? v : undefined}
        status={msgs.length ? "error" : undefined}
        style={{ width }}
        options={options}
        onChange={(x: string) => update(path, x)}
      />
      {msgs.map((m) => (
        <Typography.Text key={m} type="danger" className="pe-help">
          {m}
        </Typography.Text>
      ))}
    </div>
  );
}

export function Toggle({ path, label }: { path: readonly Seg[]; label: string }) {
  const { doc, update } = useEditor();
  return (
    <div className="pe-field">
      <span className="pe-label">{label}</span>
      <Switch aria-label={label} checked={getAt(doc, path) === true} onChange={(c) => update(path, c)} />
    </div>
  );
}

/** A section of the form: a rule that is on (present in the document) or off. */
export function Section({
  path,
  title,
  initial,
  children,
}: {
  path: readonly Seg[];
  title: string;
  /** The value the rule starts with when switched on; absent = always on. */
  initial?: Json;
  children: ReactNode;
}) {
  const { doc, update, findings, s } = useEditor();
  const on = initial === undefined || getAt(doc, path) !== undefined;
  const msgs = findings(pathText(path));
  return (
    <section className={`pe-section${msgs.length ? " pe-field-error" : ""}`} id={fieldId(path)} tabIndex={-1} aria-label={title}>
      <div className="pe-section-head">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {initial !== undefined && (
          <Switch
            aria-label={`${s.enable} ${title}`}
            checked={on}
            onChange={(c) => update(path, c ? initial : undefined)}
            data-testid={`pe-toggle-${pathText(path)}`}
          />
        )}
      </div>
      {msgs.map((m) => (
        <Typography.Text key={m} type="danger" className="pe-help" role="alert">
          {m}
        </Typography.Text>
      ))}
      {on && <div className="pe-section-body">{children}</div>}
    </section>
  );
}

/** Rows of a list at path, each rendered by row(i), with add and remove buttons. */
export function Rows({
  path,
  addLabel,
  rowLabel,
  make,
  row,
  max,
}: {
  path: readonly Seg[];
  addLabel: string;
  rowLabel: (i: number) => string;
  make: (items: Json[]) => Json;
  row: (i: number) => ReactNode;
  max?: number;
}) {
  const { doc, update, findings, s } = useEditor();
  const items = getAt(doc, path);
  const list = Array.isArray(items) ? (items as Json[]) : [];
  return (
    <div className="pe-rows" id={Array.isArray(items) ? fieldId(path) : undefined} tabIndex={-1}>
      {findings(pathText(path)).map((m) => (
        <Typography.Text key={m} type="danger" className="pe-help" role="alert">
          {m}
        </Typography.Text>
      ))}
      {list.map((_x, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions in the document's list
        <fieldset key={i} className="pe-row" id={fieldId([...path, i])} aria-label={rowLabel(i)} tabIndex={-1}>
          <legend className="pe-row-legend">{rowLabel(i)}</legend>
          {row(i)}
          <Button
            size="small"
            icon={<DeleteOutlined />}
            aria-label={`${s.remove} ${rowLabel(i)}`}
            onClick={() => update([...path, i], undefined)}
          />
          {findings(pathText([...path, i])).map((m) => (
            <Typography.Text key={m} type="danger" className="pe-help" role="alert">
              {m}
            </Typography.Text>
          ))}
        </fieldset>
      ))}
      {(max === undefined || list.length < max) && (
        <Button size="small" icon={<PlusOutlined />} onClick={() => update([...path, list.length], make(list))}>
          {addLabel}
        </Button>
      )}
    </div>
  );
}

/** A keyed map at path (product id → rate, channel → uplift): the key is edited on blur, the value by valueRow. */
export function MapRows({
  path,
  keyLabel,
  addLabel,
  make,
  value,
  rename,
}: {
  path: readonly Seg[];
  keyLabel: string;
  addLabel: string;
  make: Json;
  value: (key: string) => ReactNode;
  rename: (from: string, to: string) => void;
}) {
  const { doc, update, s } = useEditor();
  const m = getAt(doc, path);
  const keys = m && typeof m === "object" && !Array.isArray(m) ? Object.keys(m) : [];
  return (
    <div className="pe-rows" id={keys.length ? fieldId(path) : undefined} tabIndex={-1}>
      {keys.map((k, i) => (
        <fieldset key={k} className="pe-row" aria-label={`${keyLabel} ${k}`}>
          <KeyInput label={`${keyLabel} ${i + 1}`} value={k} onCommit={(to) => rename(k, to)} />
          {value(k)}
          <Button size="small" icon={<DeleteOutlined />} aria-label={`${s.remove} ${k}`} onClick={() => update([...path, k], undefined)} />
        </fieldset>
      ))}
      <Button
        size="small"
        icon={<PlusOutlined />}
        onClick={() => {
          let n = keys.length + 1;
          while (keys.includes(`new-${n}`)) n++;
          update([...path, `new-${n}`], make);
        }}
      >
        {addLabel}
      </Button>
    </div>
  );
}

function KeyInput({ label, value, onCommit }: { label: string; value: string; onCommit: (v: string) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  return (
    <div className="pe-field">
      <span className="pe-label">{label}</span>
      <Input
        aria-label={label}
        value={text}
        style={{ width: 160 }}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => (text.trim() && text.trim() !== value ? onCommit(text.trim()) : setText(value))}
        onPressEnter={() => text.trim() && text.trim() !== value && onCommit(text.trim())}
      />
    </div>
  );
}
