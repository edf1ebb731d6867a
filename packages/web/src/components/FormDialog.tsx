/**
 * A small form in a modal that makes one write: the fields are the children (Form.Items), `onSubmit` gets the values
 * and an Idempotency-Key kept for this dialog (a retry after a network failure repeats the same write, never a
 * second one). The API's refusal is shown above the buttons; the dialog stays open for a correction.
 */
import { Alert, Form, Modal } from "antd";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { newIdempotencyKey } from "../api/client.ts";
import { useErrorText } from "./hooks.ts";

export function FormDialog<V extends object>({
  title,
  okText,
  okDanger = false,
  okTestId,
  errorTestId,
  initialValues,
  intro,
  onClose,
  onSubmit,
  children,
}: {
  title: string;
  okText: string;
  okDanger?: boolean;
  okTestId?: string;
  errorTestId?: string;
  initialValues?: Partial<V>;
  intro?: ReactNode;
  onClose: () => void;
  onSubmit: (values: V, idempotencyKey: string) => Promise<void>;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<V>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempt] = useState(newIdempotencyKey);

  async function submit(values: V) {
    setBusy(true);
    setError(null);
    try {
      await onSubmit(values, attempt);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      okText={okText}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      onOk={() => form.submit()}
      okButtonProps={{ danger: okDanger, ...(okTestId ? { "data-testid": okTestId } : {}) }}
      destroyOnHidden
    >
      {intro}
      <Form<V> form={form} layout="vertical" onFinish={submit} requiredMark={false} initialValues={initialValues}>
        {children}
        {error && <Alert type="error" showIcon title={error} data-testid={errorTestId} />}
      </Form>
    </Modal>
  );
}
