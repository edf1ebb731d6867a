/** The promoter's current membership (merchant + program) for every portal page. */
import { createContext, useContext } from "react";
import type { Membership } from "../api/types.ts";

export interface PortalData {
  membership: Membership;
  userName: string;
}

export const PortalContext = createContext<PortalData | null>(null);

export function usePortal(): PortalData {
  const c = useContext(PortalContext);
  if (!c) throw new Error("usePortal outside the portal");
  return c;
}
