/** Coloured tags and labels for the API's enums, in the current language (unknown values show as they are; no antd). */

import { useTranslation } from "react-i18next";
import { Tag } from "../ui/ui.tsx";

type Group = "orderStatus" | "path" | "channel" | "commissionState" | "kind" | "level" | "promoterStatus" | "planStatus" | "reward";

export function useEnumLabel(): (group: Group, value: string | number | null | undefined) => string {
  const { i18n } = useTranslation();
  return (group, value) => {
    if (value === null || value === undefined) return group === "path" ? i18n.t("path.none") : "—";
    const key = `${group}.${value}`;
    return i18n.exists(key) ? i18n.t(key as "path.none") : String(value);
  };
}

const ORDER_COLORS: Record<string, string> = { paid: "blue", completed: "green", refunded: "orange", cancelled: "default" };
const STATE_COLORS: Record<string, string> = { pending: "gold", available: "green", held: "red", reversed: "default" };
const PATH_COLORS: Record<string, string> = { code: "magenta", click: "geekblue", binding: "cyan", referral: "purple" };
const PROMOTER_COLORS: Record<string, string> = { active: "green", suspended: "red", left: "default" };

export function OrderStatusTag({ status }: { status: string }) {
  const label = useEnumLabel();
  return <Tag color={ORDER_COLORS[status]}>{label("orderStatus", status)}</Tag>;
}

export function StateTag({ state }: { state: string }) {
  const label = useEnumLabel();
  return <Tag color={STATE_COLORS[state]}>{label("commissionState", state)}</Tag>;
}

export function PathTag({ path }: { path: string | null }) {
  const label = useEnumLabel();
  return <Tag color={path ? PATH_COLORS[path] : "default"}>{label("path", path)}</Tag>;
}

export function PromoterStatusTag({ status }: { status: string }) {
  const label = useEnumLabel();
  return <Tag color={PROMOTER_COLORS[status]}>{label("promoterStatus", status)}</Tag>;
}
