/**
 * The console dashboard's light pieces (panels.css), drawn like their antd namesakes: a card, a read-only table, a date
 * field, a native select, a heading. The dashboard is the console's first screen: with these, antd's Table (and the
 * Tree, Pagination, Dropdown and Checkbox it brings), Card (and Tabs), Typography, Input and Select are not in the
 * console's first load (docs/performance.md); pages that sort, page or filter keep antd's.
 */
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { Empty, Skeleton } from "./ui.tsx";
import "./panels.css";

/** antd Card's loading bars sit 14 px further in than the portal's skeleton. */
const LOADING_BARS = { padding: "14px 0" };

/** A white bordered box (antd's Card): an optional title bar; while `loading`, grey bars instead of the body. */
export function Panel({
  title,
  loading = false,
  children,
  testId,
}: {
  title?: ReactNode;
  loading?: boolean;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <section className="ui-card" data-testid={testId} aria-busy={loading || undefined}>
      {title !== undefined && <h4 className="ui-card-head">{title}</h4>}
      <div className="ui-card-body">{loading ? <Skeleton rows={4} title={false} style={LOADING_BARS} /> : children}</div>
    </section>
  );
}

export type Column<T> = {
  key: string;
  title: ReactNode;
  align?: "right";
  width?: number;
  render: (row: T, index: number) => ReactNode;
};

/** A small read-only table (antd's Table, size small, without paging or sorting); `empty` when there are no rows. */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  empty,
  testId,
}: {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  empty: ReactNode;
  testId?: string;
}) {
  return (
    <div className="ui-table-wrap">
      <table className="ui-table" data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={c.align === "right" ? "ui-right" : undefined}
                style={c.width ? { width: c.width } : undefined}
              >
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={rowKey(r)} className="ui-table-row">
              {columns.map((c) => (
                <td key={c.key} className={c.align === "right" ? "ui-right" : undefined}>
                  {c.render(r, i)}
                </td>
              ))}
            </tr>
          ))}
          {rows.length === 0 && (
            <tr className="ui-table-placeholder">
              <td colSpan={columns.length}>
                <Empty description={empty} />
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** A text field (antd's Input, outlined); give it an aria-label or a <label>. */
export function TextInput({ className, ...rest }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={`ui-input${className ? ` ${className}` : ""}`} {...rest} />;
}

/** The browser's own select, drawn like antd's closed Select; its list is the system's (keyboard and screen readers). */
export function NativeSelect({ className, ...rest }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={`ui-select${className ? ` ${className}` : ""}`} {...rest} />;
}
