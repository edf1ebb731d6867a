/** The withdrawal fee (手续费) on a gross amount: rounded half-up to the fen once, then the floor and the ceiling. */
import { applyRate, type Bps, type Minor } from "../money/money.ts";
import type { WithdrawalFee } from "./settings.ts";

export function withdrawalFee(amountMinor: number, fee: WithdrawalFee): number {
  switch (fee.kind) {
    case "none":
      return 0;
    case "fixed":
      return fee.amountMinor;
    case "percent": {
      let f: number = applyRate(amountMinor as Minor, fee.rateBps as Bps, "half-up");
      if (f < fee.floorMinor) f = fee.floorMinor;
      if (fee.ceilingMinor !== null && f > fee.ceilingMinor) f = fee.ceilingMinor;
      return f;
    }
  }
}
