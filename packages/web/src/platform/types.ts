/** What the platform console reads (GET /v1/merchants, /v1/platform/kpis, /v1/platform/service-fees). */
export interface PlatformMerchant {
  id: string;
  name: string;
  slug: string | null;
  status: "active" | "suspended";
  statusReason: string | null;
  statusChangedAt: string | null;
  createdAt: string;
  promoters: number;
  salesMinor: number;
  commissionMinor: number;
}

export interface MerchantPage {
  items: PlatformMerchant[];
  total: number;
  month: string;
}

export interface PlatformKpis {
  month: string;
  timeZone: string;
  merchants: number;
  activeMerchants: number;
  promoters: number;
  salesMinor: number;
  commissionMinor: number;
  payoutsMinor: number;
  payouts: number;
}

export interface ProgramFee {
  merchantId: string;
  merchantName: string;
  programId: string;
  programName: string;
  rateBps: number;
}
