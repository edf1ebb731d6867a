/** Gathers the attribution signals from the database, asks core's resolver, and stores a new binding if it says so. */
import { type AttributionResult, isBindingActive, resolveAttribution } from "@fenxiao/core";
import type { Sql } from "../../db/client.ts";
import type { Program } from "../programs/repository.ts";
import { membershipByCode } from "../promoters/repository.ts";

export interface AttributeInput {
  customerId: string;
  at: Date;
  promoCode?: string | null;
  clickToken?: string | null;
  /** Set when the event is itself a registration or order through a referring customer. */
  referrerCustomerId?: string | null;
  source: "order" | "registration" | "community";
}

export interface Attribution extends AttributionResult {
  clickId: string | null;
}

async function isActiveMember(q: Sql, program: Program, promoterId: string): Promise<boolean> {
  const [m] = await q.query<{ status: string }>(
    "SELECT status FROM memberships WHERE merchant_id = $1 AND program_id = $2 AND promoter_id = $3",
    [program.merchantId, program.id, promoterId],
  );
  return m?.status === "active";
}

export async function attribute(q: Sql, program: Program, a: AttributeInput): Promise<Attribution> {
  const notes: string[] = [];
  const atIso = a.at.toISOString();
  let codePromoterId: string | null = null;
  if (a.promoCode) {
    const m = await membershipByCode(q, a.promoCode, program.merchantId);
    if (!m || m.programId !== program.id) notes.push("code_unknown");
    else if (m.status !== "active") notes.push("code_promoter_inactive");
    else codePromoterId = m.promoterId;
  }
  let click: { id: string; promoterId: string; clickedAt: string } | null = null;
  if (a.clickToken) {
    const [c] = await q.query<{ id: string; promoter_id: string; clicked_at: Date }>(
      "SELECT id, promoter_id, clicked_at FROM clicks WHERE merchant_id = $1 AND token = $2 AND program_id = $3",
      [program.merchantId, a.clickToken, program.id],
    );
    if (c) click = { id: c.id, promoterId: c.promoter_id, clickedAt: new Date(c.clicked_at).toISOString() };
    else notes.push("click_token_unknown");
  }
  if (!click) {
    const [c] = await q.query<{ id: string; promoter_id: string; clicked_at: Date }>(
      `SELECT id, promoter_id, clicked_at FROM clicks WHERE merchant_id = $1 AND customer_id = $2 AND program_id = $3 AND clicked_at <= $4
       ORDER BY clicked_at DESC LIMIT 1`,
      [program.merchantId, a.customerId, program.id, a.at],
    );
    if (c) click = { id: c.id, promoterId: c.promoter_id, clickedAt: new Date(c.clicked_at).toISOString() };
  }
  if (click && !(await isActiveMember(q, program, click.promoterId))) {
    notes.push("click_promoter_inactive");
    click = null;
  }
  const [b] = await q.query<{ promoter_id: string; bound_at: Date; expires_at: Date }>(
    "SELECT promoter_id, bound_at, expires_at FROM bindings WHERE merchant_id = $1 AND program_id = $2 AND customer_id = $3",
    [program.merchantId, program.id, a.customerId],
  );
  let binding = b
    ? { promoterId: b.promoter_id, boundAt: new Date(b.bound_at).toISOString(), expiresAt: new Date(b.expires_at).toISOString() }
    : null;
  if (binding && isBindingActive(binding, atIso) && !(await isActiveMember(q, program, binding.promoterId))) {
    notes.push("bound_promoter_inactive");
    binding = null;
  }
  let referrerPromoterId: string | null = null;
  if (a.referrerCustomerId) {
    const [rb] = await q.query<{ promoter_id: string; bound_at: Date; expires_at: Date }>(
      "SELECT promoter_id, bound_at, expires_at FROM bindings WHERE merchant_id = $1 AND program_id = $2 AND customer_id = $3",
      [program.merchantId, program.id, a.referrerCustomerId],
    );
    if (rb && new Date(rb.expires_at).getTime() > a.at.getTime() && (await isActiveMember(q, program, rb.promoter_id)))
      referrerPromoterId = rb.promoter_id;
  }
  const result = resolveAttribution(
    {
      at: atIso,
      codePromoterId,
      click: click ? { promoterId: click.promoterId, clickedAt: click.clickedAt } : null,
      binding,
      referrerPromoterId,
    },
    { clickWindowDays: program.clickWindowDays, bindingPolicy: program.bindingPolicy, protectionDays: program.protectionDays },
  );
  if (result.bind) {
    await q.query(
      `INSERT INTO bindings (merchant_id, program_id, customer_id, promoter_id, source, bound_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (merchant_id, program_id, customer_id) DO UPDATE SET promoter_id = EXCLUDED.promoter_id, source = EXCLUDED.source,
         bound_at = EXCLUDED.bound_at, expires_at = EXCLUDED.expires_at`,
      [
        program.merchantId,
        program.id,
        a.customerId,
        result.bind.promoterId,
        `${a.source}:${result.path}`,
        result.bind.boundAt,
        result.bind.expiresAt,
      ],
    );
  }
  if (a.clickToken && click) {
    await q.query("UPDATE clicks SET customer_id = $3 WHERE merchant_id = $1 AND id = $2 AND customer_id IS NULL", [
      program.merchantId,
      click.id,
      a.customerId,
    ]);
  }
  return { ...result, notes: [...notes, ...result.notes], clickId: result.path === "click" && click ? click.id : null };
}
