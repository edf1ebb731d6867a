/** The consoles' strings in English (console.ts has the Chinese ones and says why they are a chunk of their own). */
import { adminEn } from "./admin.en.ts";
import { catalogEn } from "./catalog.en.ts";
import type { ConsoleMessages } from "./console.ts";
import { integrationsEn } from "./integrations.en.ts";
import { payoutProvidersEn } from "./payout-providers.en.ts";
import { webhooksEn } from "./webhooks.en.ts";

export const consoleEn: ConsoleMessages = {
  ...integrationsEn,
  ...catalogEn,
  webhooks: webhooksEn,
  admin: adminEn,
  payoutProviders: payoutProvidersEn,
};
