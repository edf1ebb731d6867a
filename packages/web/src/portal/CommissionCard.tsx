/** One commission line as a promoter sees it: the amount, its state, and the "why" sentence. */
import QuestionCircleOutlined from "@ant-design/icons-svg/es/asn/QuestionCircleOutlined";
import { useTranslation } from "react-i18next";
import type { CommissionLine } from "../api/types.ts";
import { useLang } from "../components/hooks.ts";
import { StateTag, useEnumLabel } from "../components/labels.tsx";
import { dateTime, money } from "../lib/format.ts";
import { Icon, Tag } from "../ui/ui.tsx";

export function CommissionCard({ line }: { line: CommissionLine }) {
  const { t } = useTranslation();
  const lang = useLang();
  const label = useEnumLabel();
  return (
    <div className="m-card" data-testid="my-commission">
      <div className="m-row">
        <div>
          <strong className="m-amount">{money(line.amountMinor, line.currency)}</strong>
          {line.reversedMinor > 0 && <span className="m-reversed">−{money(line.reversedMinor, line.currency)}</span>}
        </div>
        <StateTag state={line.state} />
      </div>
      <div className="m-meta">
        <Tag color="volcano">{label("kind", line.kind)}</Tag>
        {line.level > 0 && <Tag>{label("level", line.level)}</Tag>}
        <span>{line.orderRef ? `#${line.orderRef}` : line.periodKey}</span>
        <span>{dateTime(line.createdAt, lang)}</span>
      </div>
      {line.reversedMinor > 0 && (
        <div className="m-note" data-testid="reversal">
          {line.lineRefundedMinor
            ? t("growth.reversedExplained", {
                refund: money(line.lineRefundedMinor, line.currency),
                reversed: money(line.reversedMinor, line.currency),
              })
            : t("growth.reversedPlain", { reversed: money(line.reversedMinor, line.currency) })}
        </div>
      )}
      <div className="m-why">
        <div className="m-why-title">
          <Icon icon={QuestionCircleOutlined} /> {t("portal.why")}
        </div>
        <div data-testid="why">{lang === "en" ? line.explanationEn : line.explanationZh}</div>
      </div>
    </div>
  );
}
