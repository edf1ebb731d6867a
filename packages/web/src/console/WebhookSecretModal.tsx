/** The signing secret of a new or rotated endpoint: shown this once, with a copy button. */
import { useTranslation } from "react-i18next";
import { SecretOnceModal } from "../components/SecretOnceModal.tsx";

export function WebhookSecretModal({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <SecretOnceModal
      open={secret !== null}
      title={t("webhooks.secretTitle")}
      help={t("webhooks.secretHelp")}
      doneLabel={t("webhooks.secretDone")}
      doneTestId="webhook-secret-done"
      secrets={secret === null ? [] : [{ value: secret, testId: "webhook-secret" }]}
      onClose={onClose}
    />
  );
}
