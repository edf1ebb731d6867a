/** Order-time rules in evaluation order. The cap runs last because it scales everything before it. */
import { capRule } from "./rules/cap.ts";
import { differentialRule } from "./rules/differential.ts";
import { perOrderRule } from "./rules/per-order.ts";
import { referralRule } from "./rules/referral.ts";
import type { OrderRule } from "./rules/rule.ts";
import { saleRule } from "./rules/sale.ts";
import { teamRule } from "./rules/team.ts";

export const ORDER_RULES: readonly OrderRule[] = [referralRule, saleRule, perOrderRule, teamRule, differentialRule, capRule];
