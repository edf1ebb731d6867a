/**
 * Tax reports (docs/payouts.md, "Tax reports"):
 * - the monthly withholding detail per person for the withholding declaration (扣缴申报), with masked identities;
 * - the quarterly identity-and-income report of 国务院令第810号《互联网平台企业涉税信息报送规定》 (forms in 国家税务总局
 *   公告2025年第15号), with the full identity opened by `revealIdentity` (each reveal audited).
 */
import { periodOfKey } from "@fenxiao/core";
import type { KeyRing } from "../../crypto/sealed.ts";
import type { Sql } from "../../db/client.ts";
import { invalid } from "../../http/errors.ts";
import { audit } from "../audit/repository.ts";
import { revealIdentity } from "../identity/reveal.ts";
import { merchantInfo } from "../statements/repository.ts";
import { MONTH_PATTERN } from "../statements/service.ts";
import {
  commissionIncome,
  merchantUsesPlatformAgent,
  platformAgentMerchants,
  type WithholdingRow,
  withholdingsByPerson,
} from "./repository.ts";

/** "platform" or "merchant:<id>", as in tax_withholdings.agent. */
export type Agent = "platform" | `merchant:${string}`;

export function merchantAgent(merchantId: string): Agent {
  return `merchant:${merchantId}`;
}

export const ID_TYPE_ZH: Record<string, string> = {
  cn_resident_id: "居民身份证",
  hk_macau_permit: "港澳居民来往内地通行证",
  taiwan_permit: "台湾居民来往大陆通行证",
  passport: "护照",
  foreign_permanent_id: "外国人永久居留身份证",
};

export interface WithholdingReport {
  agent: Agent;
  month: string;
  items: WithholdingRow[];
  totals: { people: number; incomeMinor: number; taxMinor: number };
}

export function requireMonth(month: string, field = "month"): string {
  if (!MONTH_PATTERN.test(month)) invalid(field, "a month YYYY-MM, e.g. 2026-11");
  return month;
}

/** The monthly withholding detail: active withholdings of the agent in the month, per person, masked identity. */
export async function withholdingReport(q: Sql, agent: Agent, month: string): Promise<WithholdingReport> {
  requireMonth(month);
  const merchantId = agent === "platform" ? null : agent.slice("merchant:".length);
  const items = await withholdingsByPerson(q, agent, [month], merchantId);
  return {
    agent,
    month,
    items,
    totals: {
      people: items.length,
      incomeMinor: items.reduce((s, i) => s + i.incomeMinor, 0),
      taxMinor: items.reduce((s, i) => s + i.taxMinor, 0),
    },
  };
}

export interface Quarter {
  key: string;
  year: number;
  q: number;
  months: string[];
}

/** "2026Q4" (or "2026-Q4") → the quarter and its three months. A bad one is a 400 naming `field`. */
export function parseQuarter(text: string, field = "quarter"): Quarter {
  const m = /^(\d{4})-?Q([1-4])$/.exec(text);
  if (!m || Number(m[1]) < 1970) invalid(field, "a quarter YYYYQn, e.g. 2026Q4");
  const year = Number(m[1]);
  const q = Number(m[2]);
  const months = [1, 2, 3].map((i) => `${year}-${String((q - 1) * 3 + i).padStart(2, "0")}`);
  return { key: `${year}Q${q}`, year, q, months };
}

export interface QuarterlyRow {
  promoterId: string;
  promoterName: string;
  identity: { legalName: string; idType: string; idNumber: string } | null;
  incomeMinor: number;
  refundsMinor: number;
  netIncomeMinor: number;
  declaredIncomeMinor: number;
  taxMinor: number;
}

export interface QuarterlyReport {
  agent: Agent;
  quarter: string;
  items: QuarterlyRow[];
}

/** The merchants whose ledgers the agent reports: its own merchant (unless it names the platform), or the platform's. */
async function agentMerchants(q: Sql, agent: Agent, months: readonly string[]): Promise<string[]> {
  if (agent === "platform") return platformAgentMerchants(q, months);
  const merchantId = agent.slice("merchant:".length);
  return (await merchantUsesPlatformAgent(q, merchantId)) ? [] : [merchantId];
}

type Acc = Omit<QuarterlyRow, "identity" | "promoterName" | "netIncomeMinor">;

async function quarterFigures(q: Sql, agent: Agent, quarter: Quarter): Promise<Map<string, Acc>> {
  const people = new Map<string, Acc>();
  const person = (id: string): Acc => {
    let p = people.get(id);
    if (!p) {
      p = { promoterId: id, incomeMinor: 0, refundsMinor: 0, declaredIncomeMinor: 0, taxMinor: 0 };
      people.set(id, p);
    }
    return p;
  };
  for (const merchantId of await agentMerchants(q, agent, quarter.months)) {
    const tz = (await merchantInfo(q, merchantId))?.timeZone ?? "Asia/Shanghai";
    const range = periodOfKey(`${quarter.year}-Q${quarter.q}`, tz);
    for (const r of await commissionIncome(q, merchantId, new Date(range.startsAt), new Date(range.endsAt))) {
      const p = person(r.promoterId);
      p.incomeMinor += r.accruedMinor;
      p.refundsMinor += r.reversedMinor;
    }
  }
  const merchantId = agent === "platform" ? null : agent.slice("merchant:".length);
  for (const w of await withholdingsByPerson(q, agent, quarter.months, merchantId)) {
    const p = person(w.promoterId);
    p.declaredIncomeMinor += w.incomeMinor;
    p.taxMinor += w.taxMinor;
  }
  return people;
}

/**
 * The quarterly report, per person: commission accrued in the quarter (收入总额), commission reversed in the quarter
 * (退款金额), the difference (收入净额), the income already declared through withholding and the tax withheld, with the
 * identity opened in full. Every opened identity is audited (`identity.revealed`, purpose `tax-report:<quarter>`),
 * and the export itself (`tax_report.exported`). Writes audit rows: run it in a transaction.
 */
export async function quarterlyReport(
  q: Sql,
  ring: KeyRing,
  agent: Agent,
  quarterText: string,
  access: { actor: string; at: Date },
): Promise<QuarterlyReport> {
  const quarter = parseQuarter(quarterText);
  const figures = await quarterFigures(q, agent, quarter);
  const ids = [...figures.keys()].sort();
  const names = new Map(
    (await q.query<{ id: string; name: string }>("SELECT id, name FROM promoters WHERE id = ANY($1)", [ids])).map((r) => [r.id, r.name]),
  );
  const auditMerchant = agent === "platform" ? "platform" : agent.slice("merchant:".length);
  const items: QuarterlyRow[] = [];
  for (const id of ids) {
    const f = figures.get(id) as Acc;
    if (f.incomeMinor === 0 && f.refundsMinor === 0 && f.declaredIncomeMinor === 0 && f.taxMinor === 0) continue;
    const who = await revealIdentity(q, ring, id, {
      merchantId: auditMerchant,
      actor: access.actor,
      purpose: `tax-report:${quarter.key}`,
      at: access.at,
    });
    items.push({
      ...f,
      promoterName: names.get(id) ?? "",
      identity: who ? { legalName: who.legalName, idType: who.idType, idNumber: who.idNumber } : null,
      netIncomeMinor: f.incomeMinor - f.refundsMinor,
    });
  }
  await audit(
    q,
    auditMerchant,
    access.actor,
    "tax_report.exported",
    `tax-report:${agent}:${quarter.key}`,
    { people: items.length },
    access.at,
  );
  return { agent, quarter: quarter.key, items };
}
