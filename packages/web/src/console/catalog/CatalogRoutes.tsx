/** The products-and-rates and customers screens, one chunk loaded when either is opened. */
import { CustomersPage } from "./CustomersPage.tsx";
import { RatesPage } from "./RatesPage.tsx";

export default function CatalogRoutes({ page }: { page: "products" | "customers" }) {
  return page === "products" ? <RatesPage /> : <CustomersPage />;
}
