/**
 * 待确认收款: a WeChat Pay transfer (商家转账) in WAIT_USER_CONFIRM waits for the promoter to accept it inside WeChat,
 * with the package_info the API passes on, before it expires. Inside WeChat the button calls the JS-SDK's
 * wx.requestMerchantTransfer; anywhere else the page says to open it in WeChat.
 */
import { Alert, App, Button, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { Confirmation } from "../../api/money.ts";
import { useLang } from "../../components/hooks.ts";
import { copyText } from "../../lib/clipboard.ts";
import { dateTime } from "../../lib/format.ts";
import { inWechat } from "../../money/labels.tsx";

interface WxTransferResult {
  err_msg?: string;
}
interface Wx {
  requestMerchantTransfer?: (o: {
    mchId: string | null;
    appId: string | null;
    package: string;
    success?: (r: WxTransferResult) => void;
    fail?: (r: WxTransferResult) => void;
  }) => void;
}

export function ConfirmReceipt({ confirmation: c, onDone }: { confirmation: Confirmation; onDone: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const wechat = inWechat();
  const wx = (window as unknown as { wx?: Wx }).wx;

  function confirm() {
    if (!wx?.requestMerchantTransfer) {
      message.warning(t("confirm.outside"));
      return;
    }
    wx.requestMerchantTransfer({
      mchId: c.mchId,
      appId: c.appid,
      package: c.packageInfo,
      success: () => {
        message.success(t("confirm.done"));
        onDone();
      },
      fail: (r) => message.error(t("confirm.failed", { message: r.err_msg ?? "" })),
    });
  }

  return (
    <section className="m-card confirm-card" data-testid="confirm-receipt">
      <div className="m-section-title">{t("confirm.title")}</div>
      <p className="m-hint">{t("confirm.help", { date: dateTime(c.expiresAt, lang) })}</p>
      <div className="m-meta">
        <span>{t("confirm.package")}</span>
        <Typography.Text code ellipsis style={{ maxWidth: 220 }} data-testid="confirm-package">
          {c.packageInfo}
        </Typography.Text>
      </div>
      {!wechat ? (
        <Alert
          type="info"
          showIcon
          title={t("confirm.notWechat")}
          description={t("confirm.outside")}
          style={{ margin: "12px 0" }}
          data-testid="confirm-outside"
          action={
            <Button
              size="small"
              onClick={() => void copyText(window.location.href).then((ok) => ok && message.success(t("common.copied")))}
            >
              {t("common.copy")}
            </Button>
          }
        />
      ) : null}
      <Button type="primary" size="large" block disabled={!wechat} onClick={confirm} data-testid="confirm-button">
        {t("confirm.button")}
      </Button>
    </section>
  );
}
