import { useTranslation } from "react-i18next";
import { Button, Notice } from "../ui/ui.tsx";
import { useErrorText } from "./hooks.ts";

/** An error from the API in the current language, with "retry" when the caller can load again. */
export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const text = useErrorText();
  return (
    <Notice
      type="error"
      title={text(error)}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t("common.retry")}
          </Button>
        ) : undefined
      }
    />
  );
}
