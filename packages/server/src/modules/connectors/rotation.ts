/** The connectors' platform secrets for key rotation (crypto/rotation.ts; `fenxiao keys rotate`). */
import type { SealedTarget } from "../../crypto/rotation.ts";
import { reseal } from "../../crypto/sealed.ts";
import { secretAad } from "./service.ts";

export const connectorSecretTarget: SealedTarget<{ merchant_id: string; id: string; secret_sealed: string }> = {
  table: "connectors",
  select: `SELECT merchant_id, id, secret_sealed, merchant_id || '/' || id AS rotation_key FROM connectors
           WHERE merchant_id || '/' || id > $1 AND secret_sealed NOT LIKE $2 ORDER BY merchant_id || '/' || id LIMIT $3 FOR UPDATE`,
  redo: (ring, r) => [r.merchant_id, r.id, reseal(ring, r.secret_sealed, secretAad(r.id))],
  update: "UPDATE connectors SET secret_sealed = $3 WHERE merchant_id = $1 AND id = $2",
};
