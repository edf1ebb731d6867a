/** The endpoints' signing secrets (current and, during an overlap, previous) for key rotation (crypto/rotation.ts). */
import type { SealedTarget } from "../../crypto/rotation.ts";
import { reseal } from "../../crypto/sealed.ts";
import { secretAad } from "./repository.ts";

export const webhookSecretTarget: SealedTarget<{
  merchant_id: string;
  id: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
}> = {
  table: "webhook_endpoints",
  select: `SELECT merchant_id, id, secret_sealed, previous_secret_sealed, merchant_id || '/' || id AS rotation_key FROM webhook_endpoints
           WHERE merchant_id || '/' || id > $1 AND (secret_sealed NOT LIKE $2 OR previous_secret_sealed NOT LIKE $2)
           ORDER BY merchant_id || '/' || id LIMIT $3 FOR UPDATE`,
  redo: (ring, r) => [
    r.merchant_id,
    r.id,
    reseal(ring, r.secret_sealed, secretAad(r.merchant_id, r.id, "current")),
    r.previous_secret_sealed === null ? null : reseal(ring, r.previous_secret_sealed, secretAad(r.merchant_id, r.id, "previous")),
  ],
  update: "UPDATE webhook_endpoints SET secret_sealed = $3, previous_secret_sealed = $4 WHERE merchant_id = $1 AND id = $2",
};
