/** Table settings the catalog and customers lists share: offset pages with a total, rows that open by click or Enter. */
import type { KeyboardEvent } from "react";

export function offsetPagination(
  pageNo: number,
  pageSize: number,
  total: number,
  onChange: (n: number) => void,
  showTotal: (n: number) => string,
) {
  return { current: pageNo, pageSize, total, showSizeChanger: false, onChange, showTotal };
}

export function openableRow(open: () => void, testId?: string) {
  return {
    onClick: open,
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === "Enter") open();
    },
    tabIndex: 0,
    style: { cursor: "pointer" },
    ...(testId ? { "data-testid": testId } : {}),
  };
}
