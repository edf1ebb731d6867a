/**
 * The strings only the merchant and platform consoles show (API keys, admin users, the platform, catalog and customers,
 * connectors and imports, payout providers, webhooks), in Chinese: a chunk of its own, loaded with a console
 * (loadConsoleStrings), so the promoter portal's first load does not carry them. The English ones are console.en.ts,
 * downloaded only when English is chosen (the build keeps only the exports each chunk imports).
 */
import { adminZh } from "./admin.ts";
import { catalogZh } from "./catalog.ts";
import { integrationsZh } from "./integrations.ts";
import { payoutProvidersZh } from "./payout-providers.ts";
import { webhooksZh } from "./webhooks.ts";

export const consoleZh = {
  ...integrationsZh,
  ...catalogZh,
  webhooks: webhooksZh,
  admin: adminZh,
  payoutProviders: payoutProvidersZh,
};

export type ConsoleMessages = typeof consoleZh;
