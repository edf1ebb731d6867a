/**
 * antd's icons label themselves with their English file names (`<span role="img" aria-label="shopping-cart">`), which a
 * screen reader reads out inside Chinese buttons ("shopping-cart 订单"). Every icon in this app is decoration beside a
 * text or inside a control that has its own accessible name, so an icon that still carries its default name is hidden
 * from assistive technology. An icon given a label of its own (aria-label other than its name) keeps it.
 */
const ICON = "span.anticon[role='img'][aria-label]";

function hideDefaultName(el: Element): void {
  const name = el.getAttribute("aria-label");
  if (name && el.classList.contains(`anticon-${name}`)) el.setAttribute("aria-hidden", "true");
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
