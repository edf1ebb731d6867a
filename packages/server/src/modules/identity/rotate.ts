/**
 * The identity module's sealed values for key rotation (crypto/rotation.ts; `fenxiao keys rotate`): identities and
 * payout accounts, with their blind indexes computed again under the current key in the same update.
 */

import type { SealedTarget } from "../../crypto/rotation.ts";
import { open, reseal } from "../../crypto/sealed.ts";
import type { IdentityRow, PayoutAccountRow } from "./repository.ts";
import { accountIndex, identityAad, idNumberIndex, type PayoutDetails, payoutAccountAad } from "./sealing.ts";

export const identityTarget: SealedTarget<IdentityRow> = {
  table: "promoter_identities",
  select: `SELECT *, promoter_id AS rotation_key FROM promoter_identities
           WHERE promoter_id > $1 AND (legal_name_sealed NOT LIKE $2 OR id_number_sealed NOT LIKE $2 OR phone_sealed NOT LIKE $2)
           ORDER BY promoter_id LIMIT $3 FOR UPDATE`,
  redo(ring, r) {
    const id = r.promoter_id;
    const idNumberSealed = reseal(ring, r.id_number_sealed, identityAad("id_number", id));
    const idNumber = open(ring, idNumberSealed, identityAad("id_number", id));
    return [
      id,
      reseal(ring, r.legal_name_sealed, identityAad("legal_name", id)),
      idNumberSealed,
      r.phone_sealed === null ? null : reseal(ring, r.phone_sealed, identityAad("phone", id)),
      idNumberIndex(ring.current, r.id_type, idNumber),
    ];
  },
  update: `UPDATE promoter_identities SET legal_name_sealed = $2, id_number_sealed = $3, phone_sealed = $4, id_number_index = $5
           WHERE promoter_id = $1`,
};

export const payoutAccountTarget: SealedTarget<PayoutAccountRow> = {
  table: "payout_accounts",
  select: `SELECT *, id AS rotation_key FROM payout_accounts WHERE id > $1 AND details_sealed NOT LIKE $2 ORDER BY id LIMIT $3 FOR UPDATE`,
  redo(ring, r) {
    const sealed = reseal(ring, r.details_sealed, payoutAccountAad(r.id));
    const d = JSON.parse(open(ring, sealed, payoutAccountAad(r.id))) as PayoutDetails;
    return [r.id, sealed, accountIndex(ring.current, d)];
  },
  update: "UPDATE payout_accounts SET details_sealed = $2, account_index = $3 WHERE id = $1",
};
