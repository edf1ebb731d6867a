/**
 * The strings only the merchant and platform consoles show (API keys, admin users, the platform, catalog and customers,
 * connectors and imports, payout providers, webhooks), both languages: a chunk of their own, loaded with a console
 * (loadConsoleStrings), so the promoter portal's first load does not carry them.
 */
import { adminEn, adminZh } from "./admin.ts";
import { catalogEn, catalogZh } from "./catalog.ts";
import { integrationsEn, integrationsZh } from "./integrations.ts";
import { payoutProvidersEn, payoutProvidersZh } from "./payout-providers.ts";
import { webhooksEn, webhooksZh } from "./webhooks.ts";

export const consoleZh = {
  ...integrationsZh,
  ...catalogZh,
  webhooks: webhooksZh,
  admin: adminZh,
  payoutProviders: payoutProvidersZh,
};

export type ConsoleMessages = typeof consoleZh;

export const consoleEn: ConsoleMessages = {
  ...integrationsEn,
  ...catalogEn,
  webhooks: webhooksEn,
  admin: adminEn,
  payoutProviders: payoutProvidersEn,
};
