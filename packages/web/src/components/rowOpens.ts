import type { HTMLAttributes, KeyboardEvent } from "react";

/**
 * Props for a table row that opens something (a drawer, a page): a click, or Enter or Space on the focused row, as a
 * keyboard user expects (antd's Table `onRow={(r) => rowOpens(() => open(r))}`).
 */
export function rowOpens(open: () => void): HTMLAttributes<HTMLElement> {
  return {
    onClick: open,
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
      if (e.target !== e.currentTarget || (e.key !== "Enter" && e.key !== " ")) return;
      e.preventDefault();
      open();
    },
    tabIndex: 0,
    style: { cursor: "pointer" },
  };
}
