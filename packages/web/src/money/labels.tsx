/** Tags and labels of the money-out enums (withdrawal states, events, providers), in the current language. */
import { Tag } from "antd";
import { useTranslation } from "react-i18next";

const STATE_COLORS: Record<string, string> = {
  requested: "gold",
  approved: "blue",
  awaiting_funds: "orange",
  paying: "processing",
  paid: "green",
  rejected: "default",
  failed: "red",
};

type MoneyGroup = "wstate" | "wevent" | "provider" | "runState" | "runStep" | "itemState" | "payoutKind" | "idType" | "taxMethod";

export function useMoneyLabel(): (group: MoneyGroup, value: string | null | undefined) => string {
  const { i18n } = useTranslation();
  return (group, value) => {
    if (value === null || value === undefined) return "—";
    const key = `${group}.${value}`;
    return i18n.exists(key) ? (i18n.t(key as "wstate.paid") as string) : value;
  };
}

export function WithdrawalStateTag({ state }: { state: string }) {
  const label = useMoneyLabel();
  return (
    <Tag color={STATE_COLORS[state]} data-testid="withdrawal-state" data-state={state}>
      {label("wstate", state)}
    </Tag>
  );
}

/** True inside WeChat's browser (where wx.requestMerchantTransfer exists once the JS-SDK is loaded). */
export function inWechat(): boolean {
  return /MicroMessenger/i.test(navigator.userAgent);
}

/** The last `n` calendar months as YYYY-MM, newest first, from today's date in the browser. */
export function recentMonths(n: number, now = new Date()): string[] {
  const out: string[] = [];
  let y = now.getFullYear();
  let m = now.getMonth() + 1;
  for (let i = 0; i < n; i++) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}
