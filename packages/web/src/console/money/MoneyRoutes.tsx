/** The console's money-out pages (one chunk of their own, loaded when one of them opens). */
import { FundingPage } from "./FundingPage.tsx";
import { MoneySettingsPage } from "./MoneySettingsPage.tsx";
import { PayoutProvidersPage } from "./PayoutProvidersPage.tsx";
import { PayoutRunsPage } from "./PayoutRunsPage.tsx";
import { ReportsPage } from "./ReportsPage.tsx";
import { WithdrawalsPage } from "./WithdrawalsPage.tsx";

export const MONEY_PAGES = {
  withdrawals: WithdrawalsPage,
  "payout-runs": PayoutRunsPage,
  "payout-providers": PayoutProvidersPage,
  funding: FundingPage,
  reports: ReportsPage,
  "money-settings": MoneySettingsPage,
} as const;

export type MoneyPageKey = keyof typeof MONEY_PAGES;

export default function MoneyPage({ page }: { page: MoneyPageKey }) {
  const P = MONEY_PAGES[page];
  return <P />;
}
