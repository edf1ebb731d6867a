/** The wallet's pages under /portal/wallet (a chunk of its own, loaded when the wallet tab opens). */
import { Route, Routes } from "react-router";
import { AccountsPage } from "./AccountsPage.tsx";
import { HistoryPage, WithdrawalDetailPage } from "./HistoryPage.tsx";
import { StatementsPage } from "./StatementsPage.tsx";
import { WalletPage } from "./WalletPage.tsx";
import { WithdrawPage } from "./WithdrawPage.tsx";

export default function WalletRoutes() {
  return (
    <Routes>
      <Route index element={<WalletPage />} />
      <Route path="withdraw" element={<WithdrawPage />} />
      <Route path="history" element={<HistoryPage />} />
      <Route path="history/:withdrawalId" element={<WithdrawalDetailPage />} />
      <Route path="accounts" element={<AccountsPage />} />
      <Route path="statements" element={<StatementsPage />} />
      <Route path="*" element={<WalletPage />} />
    </Routes>
  );
}
