/** The server's findings on the draft, each naming its field and leading to it. */
import { Alert, Button, Card, Typography } from "antd";
import type { LintResult } from "../../api/types.ts";
import type { Language } from "../../i18n/languages.ts";
import { fieldId, parsePathText } from "./doc.ts";
import { useEditor } from "./fields.tsx";
import { pathLabel, schemaMessage } from "./labels.ts";

export interface Finding {
  kind: "schema" | "error" | "warning";
  path: string;
  text: string;
  code?: string;
}

/**
 * The findings in the UI language. The linter repeats each schema issue as a PLAN_INVALID error (in English, with the
 * path re-joined by dots); when the schema issues are there, they say it once and better.
 */
export function findingsOf(r: LintResult, lang: Language): Finding[] {
  const errors = r.issues.length > 0 ? r.errors.filter((e) => e.code !== "PLAN_INVALID") : r.errors;
  return [
    ...r.issues.map((i) => ({ kind: "schema" as const, path: i.path, text: schemaMessage(i, lang) })),
    ...errors.map((i) => ({ kind: "error" as const, path: i.path, text: lang === "en" ? i.messageEn : i.messageZh, code: i.code })),
    ...r.warnings.map((i) => ({ kind: "warning" as const, path: i.path, text: lang === "en" ? i.messageEn : i.messageZh, code: i.code })),
  ];
}

/** The form control of a path, or of the nearest enclosing part that has one. */
export function elementFor(path: string): HTMLElement | null {
  // a path written `steps.1.rate` means `steps[1].rate` when the form has no key "1" there
  const segs = parsePathText(path).map((s) => (typeof s === "string" && /^\d+$/.test(s) ? Number(s) : s));
  const exact = document.getElementById(fieldId(parsePathText(path)));
  if (exact) return exact;
  for (let n = segs.length; n >= 0; n--) {
    const el = document.getElementById(fieldId(segs.slice(0, n)));
    if (el) return el;
  }
  return null;
}

/** Scroll to, focus and flash the control of a path; false when the form has none (the JSON view then). */
export function focusPath(path: string): boolean {
  const el = elementFor(path);
  if (!el || el.id === fieldId([])) return false;
  el.scrollIntoView({ block: "center", behavior: "smooth" });
  el.focus({ preventScroll: true });
  const box = el.closest(".pe-field, .pe-row, .pe-section") ?? el;
  box.classList.add("pe-flash");
  setTimeout(() => box.classList.remove("pe-flash"), 1600);
  return true;
}

export function LintPanel({
  result,
  findings,
  onGo,
  checking,
}: {
  result: LintResult | null;
  findings: Finding[];
  onGo: (path: string) => void;
  checking: boolean;
}) {
  const { s, lang } = useEditor();
  const groups: [Finding["kind"], string, "error" | "warning"][] = [
    ["schema", s.schemaIssues, "error"],
    ["error", s.errors, "error"],
    ["warning", s.warnings, "warning"],
  ];
  return (
    <Card size="small" title={s.lint} data-testid="pe-lint" aria-live="polite">
      {!result && <Typography.Text type="secondary">{checking ? s.checking : "—"}</Typography.Text>}
      {result?.valid && result.errors.length === 0 && (
        <Alert type="success" showIcon title={s.checkPassed} data-testid="pe-lint-ok" style={{ marginBottom: 8 }} />
      )}
      {groups.map(([kind, title, type]) => {
        const rows = findings.filter((f) => f.kind === kind);
        if (rows.length === 0) return null;
        return (
          <Alert
            key={kind}
            type={type}
            showIcon
            style={{ marginBottom: 8 }}
            title={title}
            description={
              <ul className="issue-list" data-testid={`pe-lint-${kind}`}>
                {rows.map((f) => (
                  <li key={`${f.code ?? ""}${f.path}${f.text}`}>
                    <Button
                      type="link"
                      size="small"
                      className="pe-goto"
                      aria-label={`${s.goToField}: ${pathLabel(f.path, lang)}`}
                      onClick={() => onGo(f.path)}
                    >
                      {pathLabel(f.path, lang)}
                    </Button>{" "}
                    {f.text}{" "}
                    <Typography.Text type="secondary" code>
                      {f.path}
                    </Typography.Text>
                  </li>
                ))}
              </ul>
            }
          />
        );
      })}
    </Card>
  );
}
