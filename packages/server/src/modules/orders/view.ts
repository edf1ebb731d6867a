/** A paid order as the API returns it: the order, its attribution and its commission lines with explanations. */
import type { OrderWarning } from "./warnings.ts";

export interface OrderView {
  orderId: string;
  orderRef: string;
  programId: string;
  status: string;
  amountMinor: number;
  refundedMinor: number;
  promoterId: string | null;
  attributionPath: string | null;
  isFirstOrder?: boolean;
  commissions: {
    id: string;
    beneficiaryId: string;
    level: number;
    kind: string;
    lineNo: number | null;
    amountMinor: number;
    reversedMinor: number;
    state: string;
    explanation: { zh: string; en: string };
  }[];
  rewardEvents?: unknown[];
  /** Paid-order responses: what the order asked for that was not applied (warnings.ts). */
  warnings?: OrderWarning[];
}
