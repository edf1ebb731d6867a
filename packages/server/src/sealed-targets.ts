/**
 * Every table that holds sealed values, for `fenxiao keys rotate` (crypto/rotation.ts). A module that seals a new
 * column adds its target here; `key-rotation.test.ts` checks that every *_sealed column of the schema is covered.
 */
import { type RotationCount, rotateTargets, type SealedTarget } from "./crypto/rotation.ts";
import type { KeyRing } from "./crypto/sealed.ts";
import type { Db } from "./db/client.ts";
import { connectorSecretTarget } from "./modules/connectors/rotation.ts";
import { customerClearTarget, customerContactTarget } from "./modules/customers/rotate.ts";
import { identityTarget, payoutAccountTarget } from "./modules/identity/rotate.ts";
import { providerConfigTarget } from "./modules/payouts/providers/config.ts";
import { promoterClearTarget, promoterPhoneTarget } from "./modules/promoters/rotate.ts";
import { webhookSecretTarget } from "./modules/webhooks/rotation.ts";

export const SEALED_TARGETS: readonly SealedTarget<never>[] = [
  identityTarget,
  payoutAccountTarget,
  providerConfigTarget,
  webhookSecretTarget,
  connectorSecretTarget,
  customerContactTarget,
  promoterPhoneTarget,
] as readonly SealedTarget<never>[];

/** The columns each target re-seals (the coverage check of key-rotation.test.ts). */
export const SEALED_COLUMNS: Record<string, readonly string[]> = {
  promoter_identities: ["legal_name_sealed", "id_number_sealed", "phone_sealed"],
  payout_accounts: ["details_sealed"],
  payout_provider_configs: ["config_sealed"],
  webhook_endpoints: ["secret_sealed", "previous_secret_sealed"],
  connectors: ["secret_sealed"],
  customers: ["phone_sealed", "name_sealed"],
  promoters: ["phone_sealed"],
};

export function rotateSealedValues(
  db: Db,
  ring: KeyRing,
  opts: { batchSize?: number; log?: (line: string) => void } = {},
): Promise<RotationCount[]> {
  return rotateTargets(db, ring, SEALED_TARGETS, opts);
}

/**
 * Seal the customers' phones and names and the promoters' phones still in clear (rows written before migration 0024),
 * emptying the clear columns: run at every start before the server listens (a start with none left costs one index
 * probe per table). Batch by batch, each its own transaction, so a start stopped midway resumes where it stopped.
 */
export function sealClearContacts(
  db: Db,
  ring: KeyRing,
  opts: { batchSize?: number; log?: (line: string) => void } = {},
): Promise<RotationCount[]> {
  return rotateTargets(db, ring, [customerClearTarget, promoterClearTarget] as readonly SealedTarget<never>[], opts);
}
