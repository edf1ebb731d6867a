/**
 * Small components for the promoter portal's first screen, with plain CSS (ui.css) instead of antd: a button, an icon,
 * a tag, a notice, a skeleton, a spinner, an empty state, a short-lived toast. They look like their antd namesakes
 * (same colours and sizes) so a page can mix them with antd pages; antd is downloaded only by the pages that need it.
 */
import type { AbstractNode, IconDefinition } from "@ant-design/icons-svg/es/types";
import { type ButtonHTMLAttributes, createElement, type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import "./ui.css";

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function svgNode(node: AbstractNode, key: number, root: boolean): ReactNode {
  const attrs: Record<string, string | number> = { key };
  for (const [k, v] of Object.entries(node.attrs)) attrs[k === "class" ? "className" : camel(k)] = v;
  if (root) Object.assign(attrs, { width: "1em", height: "1em", fill: "currentColor", "aria-hidden": "true" });
  return createElement(
    node.tag,
    attrs,
    node.children?.map((c, i) => svgNode(c, i, false)),
  );
}

/** One of antd's icons (@ant-design/icons-svg), drawn in the text's colour; decoration, hidden from screen readers. */
export function Icon({ icon }: { icon: IconDefinition }) {
  const tree = typeof icon.icon === "function" ? icon.icon("currentColor", "#e6e6e6") : icon.icon;
  return <span className="ui-icon">{svgNode(tree, 0, true)}</span>;
}

type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type"> & {
  kind?: "default" | "primary" | "text";
  size?: "small" | "middle" | "large";
  icon?: ReactNode;
};

/** A button; with no children it is icon-only and needs an aria-label. */
export function Button({ kind = "default", size = "middle", icon, children, className, ...rest }: ButtonProps) {
  const only = children === undefined || children === null || children === false;
  const cls = ["ui-btn", `ui-btn-${kind}`, `ui-btn-${size}`, only ? "ui-btn-icon-only" : "", className ?? ""];
  return (
    <button type="button" className={cls.filter(Boolean).join(" ")} {...rest}>
      {icon}
      {only ? null : <span>{children}</span>}
    </button>
  );
}

/** A small coloured label (antd's Tag): colour default, gold, green, red, volcano, blue, orange, magenta, geekblue, cyan, purple. */
export function Tag({ color = "default", children }: { color?: string; children: ReactNode }) {
  return <span className={`ui-tag ui-tag-${color}`}>{children}</span>;
}

const NOTICE_PATHS = {
  // antd's CloseCircleFilled, InfoCircleFilled, ExclamationCircleFilled (viewBox 64 64 896 896)
  error:
    "M512 64C264.6 64 64 264.6 64 512s200.6 448 448 448 448-200.6 448-448S759.4 64 512 64zm165.4 618.2l-66-.3L512 563.4l-99.3 118.4-66.1.3c-4.4 0-8-3.5-8-8 0-1.9.7-3.7 1.9-5.2l130.1-155L340.5 359a8.32 8.32 0 01-1.9-5.2c0-4.4 3.6-8 8-8l66.1.3L512 464.6l99.3-118.4 66-.3c4.4 0 8 3.5 8 8 0 1.9-.7 3.7-1.9 5.2L553.5 514l130 155c1.2 1.5 1.9 3.3 1.9 5.2 0 4.4-3.6 8-8 8z",
  info: "M512 64C264.6 64 64 264.6 64 512s200.6 448 448 448 448-200.6 448-448S759.4 64 512 64zm32 664c0 4.4-3.6 8-8 8h-48c-4.4 0-8-3.6-8-8V456c0-4.4 3.6-8 8-8h48c4.4 0 8 3.6 8 8v272zm-32-344a48.01 48.01 0 010-96 48.01 48.01 0 010 96z",
  warning:
    "M512 64C264.6 64 64 264.6 64 512s200.6 448 448 448 448-200.6 448-448S759.4 64 512 64zm-32 232c0-4.4 3.6-8 8-8h48c4.4 0 8 3.6 8 8v272c0 4.4-3.6 8-8 8h-48c-4.4 0-8-3.6-8-8V296zm32 440a48.01 48.01 0 010-96 48.01 48.01 0 010 96z",
};

/** A message box (antd's Alert with an icon): an error, or a piece of information or warning. */
export function Notice({ type, title, action }: { type: keyof typeof NOTICE_PATHS; title: ReactNode; action?: ReactNode }) {
  return (
    <div className={`ui-notice ui-notice-${type}`} role="alert">
      <svg className="ui-notice-icon" viewBox="64 64 896 896" width="1em" height="1em" fill="currentColor" aria-hidden="true">
        <path d={NOTICE_PATHS[type]} />
      </svg>
      <div className="ui-notice-title">{title}</div>
      {action && <div className="ui-notice-action">{action}</div>}
    </div>
  );
}

/** Grey bars where content is loading (antd's Skeleton): a title (unless `title` is false) and `rows` lines, or one input-high bar. */
export function Skeleton({
  rows = 3,
  input = false,
  title = true,
  style,
}: {
  rows?: number;
  input?: boolean;
  title?: boolean;
  style?: React.CSSProperties;
}) {
  if (input) return <div className="ui-skeleton ui-skeleton-input" aria-hidden="true" style={style} />;
  return (
    <div className="ui-skeleton-block" aria-hidden="true" style={style}>
      {title && <div className="ui-skeleton ui-skeleton-title" />}
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: identical placeholder bars
        <div key={i} className="ui-skeleton ui-skeleton-line" />
      ))}
    </div>
  );
}

/** A spinning ring, announced as `label` ("loading"). */
export function Spinner({ label, style }: { label: string; style?: React.CSSProperties }) {
  return (
    <div className="ui-spin-wrap" style={style}>
      <span className="ui-spin" role="status" aria-label={label} />
    </div>
  );
}

/** Nothing to show (antd's Empty): a drawn empty box and a sentence. */
export function Empty({ description, style }: { description: ReactNode; style?: React.CSSProperties }) {
  return (
    <div className="ui-empty" style={style}>
      <svg width="64" height="41" viewBox="0 0 64 41" aria-hidden="true">
        <g transform="translate(0 1)" fill="none" fillRule="evenodd">
          <ellipse fill="#f5f5f5" cx="32" cy="33" rx="32" ry="7" />
          <g fillRule="nonzero" stroke="#d9d9d9">
            <path d="M55 12.76L44.854 1.258C44.367.474 43.656 0 42.907 0H21.093c-.749 0-1.46.474-1.947 1.257L9 12.761V22h46v-9.24z" />
            <path
              d="M41.613 15.931c0-1.605.994-2.93 2.227-2.931H55v18.137C55 33.26 53.68 35 52.05 35h-40.1C10.32 35 9 33.259 9 31.137V13h11.16c1.233 0 2.227 1.323 2.227 2.928v.022c0 1.605 1.005 2.901 2.237 2.901h14.752c1.232 0 2.237-1.308 2.237-2.913v-.007z"
              fill="#fafafa"
            />
          </g>
        </g>
      </svg>
      <div className="ui-empty-text">{description}</div>
    </div>
  );
}

type Toast = { text: string; kind: "success" | "error"; id: number };

/** A short message at the top of the screen (antd's message), read out by screen readers; `show` replaces the last. */
export function useToast(): { node: ReactNode; show: (kind: Toast["kind"], text: string) => void } {
  const [toast, setToast] = useState<Toast | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const show = useCallback((kind: Toast["kind"], text: string) => {
    clearTimeout(timer.current);
    setToast({ kind, text, id: Date.now() });
    timer.current = setTimeout(() => setToast(null), 3000);
  }, []);
  const node = (
    <div className="ui-toast-holder" role="status" aria-live="polite">
      {toast && (
        <div key={toast.id} className={`ui-toast ui-toast-${toast.kind}`}>
          {toast.text}
        </div>
      )}
    </div>
  );
  return { node, show };
}
