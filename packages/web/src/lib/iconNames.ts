/**
 * antd's icons label themselves with their English file names (`<span role="img" aria-label="shopping-cart">`), which a
 * screen reader reads out inside Chinese buttons ("shopping-cart 订单"). Every icon in this app is decoration beside a
 * text or inside a control that has its own accessible name, so an icon that still carries its default name is hidden
 * from assistive technology. An icon given a label of its own (aria-label other than its name) keeps it.
 */
const ICON = "span.anticon[role='img'][aria-label]";

function hideDefaultName(el: Element): void {
  const name = el.getAttribute("aria-label");
  if (!name || !el.classList.contains(`anticon-${name}`)) return;
  el.setAttribute("aria-hidden", "true");
  nameIconOnlyControl(el);
}

/**
 * A control whose only content was the icon (antd's pagination 上一页/下一页, a table's expand button) would be left
 * without a name: it takes the title that antd puts on it or on its list item (`<li title="上一页">`).
 */
function nameIconOnlyControl(icon: Element): void {
  const control = icon.closest("button, a, [role='button']");
  if (!control || control.getAttribute("aria-label") || (control.textContent ?? "").trim()) return;
  const title = control.getAttribute("title") ?? control.closest("[title]")?.getAttribute("title");
  if (title?.trim()) control.setAttribute("aria-label", title.trim());
  else if (control.closest(".ant-input-search")) control.setAttribute("aria-label", searchLabel());
}

/** The name of an Input.Search's magnifier button, in the page's language. */
function searchLabel(): string {
  return document.documentElement.lang.toLowerCase().startsWith("zh") ? "搜索" : "Search";
}

function sweep(root: ParentNode): void {
  if (root instanceof Element && root.matches(ICON)) hideDefaultName(root);
  for (const el of root.querySelectorAll(ICON)) hideDefaultName(el);
}

/** Hides default-named icons now and in everything rendered later (one observer for the document). */
export function hideIconNames(root: HTMLElement): void {
  sweep(root);
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n instanceof Element) sweep(n);
  }).observe(document.body, { childList: true, subtree: true });
}
