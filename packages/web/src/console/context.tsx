/** What every console page needs: the merchant, its programs, the selected program and the promoters' names. */
import { createContext, useContext } from "react";
import type { Merchant, Program, Promoter } from "../api/types.ts";

export interface ConsoleData {
  merchant: Merchant;
  programs: Program[];
  program: Program;
  setProgramId: (id: string) => void;
  promoters: Promoter[];
  promotersTruncated: boolean;
  promoterName: (id: string | null | undefined) => string;
  reloadPromoters: () => void;
}

export const ConsoleContext = createContext<ConsoleData | null>(null);

export function useConsole(): ConsoleData {
  const c = useContext(ConsoleContext);
  if (!c) throw new Error("useConsole outside the console");
  return c;
}
