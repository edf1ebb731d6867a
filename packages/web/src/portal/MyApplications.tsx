/** My applications to programs that need the merchant's approval: shown where I have no membership yet. */
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import { useAsync } from "../components/hooks.ts";
import { Notice } from "../ui/ui.tsx";

interface MyApplication {
  id: string;
  programName: string;
  status: "pending" | "approved" | "rejected";
  reason: string | null;
}

export function MyApplications() {
  const { t } = useTranslation();
  const apps = useAsync(() => get<{ items: MyApplication[] }>("/v1/me/applications"), []);
  const open = (apps.data?.items ?? []).filter((a) => a.status !== "approved");
  if (open.length === 0) return null;
  return (
    <div style={{ display: "grid", gap: 8, margin: "16px 12px" }} data-testid="my-applications">
      {open.map((a) => (
        <Notice
          key={a.id}
          type={a.status === "pending" ? "info" : "warning"}
          title={
            a.status === "pending"
              ? t("growth.pendingApplications", { program: a.programName })
              : t("growth.rejectedApplication", { program: a.programName, reason: a.reason ?? "" })
          }
        />
      ))}
    </div>
  );
}
