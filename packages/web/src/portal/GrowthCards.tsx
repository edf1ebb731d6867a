/**
 * The Team tab's growth tools: my invite link with its QR code (friends sign up at /join under me), and promotion
 * posters per product (the API draws the PNG with my link's QR code; long-press to save on a phone, or download).
 */
import { CopyOutlined, DownloadOutlined, PictureOutlined } from "@ant-design/icons";
import { App, Button, Select, Skeleton } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, get, getSession, withQuery } from "../api/client.ts";
import { ErrorBox } from "../components/ErrorBox.tsx";
import { useAsync } from "../components/hooks.ts";
import { copyText } from "../lib/clipboard.ts";
import { money } from "../lib/format.ts";
import { usePortal } from "./context.tsx";

export function inviteUrl(code: string): string {
  return `${window.location.origin}/join?code=${encodeURIComponent(code)}`;
}

export function InviteCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { membership: m } = usePortal();
  const url = inviteUrl(m.code);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    // qrcode is loaded with the Team tab only, not with the portal's first screen
    import("qrcode").then((q) => q.toDataURL(url, { errorCorrectionLevel: "M", margin: 2, width: 400 })).then((d) => live && setQr(d));
    return () => {
      live = false;
    };
  }, [url]);
  return (
    <section className="m-card" data-testid="invite">
      <div className="m-section-title">{t("growth.inviteTitle")}</div>
      <div className="invite-qr">
        {qr ? <img src={qr} alt={t("growth.inviteQrAlt")} data-testid="invite-qr" /> : <Skeleton.Image active />}
      </div>
      <div className="m-section-title">{t("growth.inviteLink")}</div>
      <div className="promo-link-row">
        <div className="promo-link" data-testid="invite-link">
          {url}
        </div>
        <Button
          type="primary"
          size="large"
          icon={<CopyOutlined />}
          aria-label={t("common.copy")}
          onClick={async () => ((await copyText(url)) ? message.success(t("common.copied")) : message.error(t("common.copyFailed")))}
        />
      </div>
      <div className="m-hint">{t("growth.inviteHint")}</div>
    </section>
  );
}

interface MyProduct {
  id: string;
  name: string;
  priceMinor: number;
}

/** The poster PNG as a data URL (an <img> a phone can long-press to save), fetched with the session's token. */
async function fetchPoster(query: { merchantId: string; programId: string }, productId: string): Promise<string> {
  const res = await fetch(withQuery(`/v1/me/posters/${encodeURIComponent(productId)}`, query), {
    headers: { authorization: `Bearer ${getSession()?.token ?? ""}` },
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText);
  }
  const blob = await res.blob();
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

export function PosterCard() {
  const { t } = useTranslation();
  const { membership: m } = usePortal();
  const query = { merchantId: m.merchantId, programId: m.programId };
  const products = useAsync(() => get<{ items: MyProduct[] }>("/v1/me/products", query), [m.merchantId, m.programId]);
  const [productId, setProductId] = useState<string | undefined>();
  const [poster, setPoster] = useState<{ productId: string; url: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const items = products.data?.items ?? [];
  const chosen = items.find((p) => p.id === productId);

  async function make() {
    if (!productId) return;
    setBusy(true);
    setError(null);
    try {
      setPoster({ productId, url: await fetchPoster(query, productId) });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="m-card" data-testid="posters">
      <div className="m-section-title">{t("growth.posterTitle")}</div>
      {products.error ? <ErrorBox error={products.error} onRetry={products.reload} /> : null}
      {products.data && items.length === 0 ? (
        <div className="m-empty">{t("growth.noProducts")}</div>
      ) : (
        <div className="poster-row">
          <Select
            size="large"
            aria-label={t("growth.posterProduct")}
            placeholder={t("growth.posterProduct")}
            loading={products.loading}
            value={productId}
            onChange={setProductId}
            options={items.map((p) => ({ value: p.id, label: `${p.name} · ${money(p.priceMinor, m.currency)}` }))}
            data-testid="poster-product"
          />
          <Button
            size="large"
            type="primary"
            icon={<PictureOutlined />}
            disabled={!productId}
            loading={busy}
            onClick={make}
            data-testid="poster-make"
          >
            {t("growth.posterMake")}
          </Button>
        </div>
      )}
      {error ? <ErrorBox error={error} onRetry={make} /> : null}
      {poster && (
        <>
          <img
            className="poster-image"
            src={poster.url}
            alt={t("growth.posterAlt", { product: chosen?.name ?? poster.productId })}
            data-testid="poster-image"
          />
          <Button
            block
            size="large"
            icon={<DownloadOutlined />}
            href={poster.url}
            download={`poster-${poster.productId}.png`}
            data-testid="poster-download"
          >
            {t("growth.posterDownload")}
          </Button>
        </>
      )}
      <div className="m-hint">{t("growth.posterHint")}</div>
    </section>
  );
}
