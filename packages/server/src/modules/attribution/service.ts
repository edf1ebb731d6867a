/**
 * Attribution: gathers the signals, asks core's resolver, and records a new binding if it says so.
 * Where the signals come from is a source: straight from the database (one event), or from maps preloaded
 * for a whole batch of order events (see orders/ingest.ts). The decisions are made here, once, for both.
 */
import { type AttributionResult, type BindingState, isBindingActive, precedenceOf, resolveAttribution } from "@fenxiao/core";
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

export interface ClickSignal {
  id: string;
  promoterId: string;
  programId: string;
  clickedAt: string;
  customerId: string | null;
}

/** Everything attribution reads and writes, for one program. */
export interface AttributionSource {
  memberByCode(code: string): Promise<{ promoterId: string; programId: string; status: string } | null>;
  memberStatus(promoterId: string): Promise<string | null>;
  clickByToken(token: string): Promise<ClickSignal | null>;
  /** The customer's latest click in the program at or before `at`. */
  lastClick(customerId: string, at: Date): Promise<ClickSignal | null>;
  binding(customerId: string): Promise<BindingState | null>;
  saveBinding(customerId: string, b: BindingState, source: string): Promise<void>;
  linkClick(clickId: string, customerId: string): Promise<void>;
}

export async function attributeWith(src: AttributionSource, program: Program, a: AttributeInput): Promise<Attribution> {
  const notes: string[] = [];
  const atIso = a.at.toISOString();
  const isActive = async (promoterId: string) => (await src.memberStatus(promoterId)) === "active";
  let codePromoterId: string | null = null;
  if (a.promoCode) {
    const m = await src.memberByCode(a.promoCode.toUpperCase());
    if (!m || m.programId !== program.id) notes.push("code_unknown");
    else if (m.status !== "active") notes.push("code_promoter_inactive");
    else codePromoterId = m.promoterId;
  }
  let click: ClickSignal | null = null;
  if (a.clickToken) {
    const c = await src.clickByToken(a.clickToken);
    if (c && c.programId === program.id) click = c;
    else notes.push("click_token_unknown");
  }
  const tokenClick = click;
  if (!click) click = await src.lastClick(a.customerId, a.at);
  if (click && !(await isActive(click.promoterId))) {
    notes.push("click_promoter_inactive");
    click = null;
  }
  let binding = await src.binding(a.customerId);
  if (binding && isBindingActive(binding, atIso) && !(await isActive(binding.promoterId))) {
    notes.push("bound_promoter_inactive");
    binding = null;
  }
  let referrerPromoterId: string | null = null;
  if (a.referrerCustomerId) {
    const rb = await src.binding(a.referrerCustomerId);
    if (rb && isBindingActive(rb, atIso) && (await isActive(rb.promoterId))) referrerPromoterId = rb.promoterId;
  }
  const result = resolveAttribution(
    {
      at: atIso,
      codePromoterId,
      click: click ? { promoterId: click.promoterId, clickedAt: click.clickedAt } : null,
      binding,
      referrerPromoterId,
    },
    {
      clickWindowDays: program.clickWindowDays,
      bindingPolicy: program.bindingPolicy,
      protectionDays: program.protectionDays,
      precedence: precedenceOf(program.attributionPrecedence),
    },
  );
  if (result.bind) await src.saveBinding(a.customerId, result.bind, `${a.source}:${result.path}`);
  if (tokenClick && tokenClick.customerId === null) await src.linkClick(tokenClick.id, a.customerId);
  return { ...result, notes: [...notes, ...result.notes], clickId: result.path === "click" && click ? click.id : null };
}

const toIso = (d: Date | string) => new Date(d).toISOString();

/** Reads and writes the database directly: for single events (registrations, community joins). */
export function dbAttributionSource(q: Sql, program: Program): AttributionSource {
  const M = program.merchantId;
  type ClickRow = { id: string; promoter_id: string; program_id: string; clicked_at: Date; customer_id: string | null };
  const click = (c: ClickRow | undefined): ClickSignal | null =>
    c ? { id: c.id, promoterId: c.promoter_id, programId: c.program_id, clickedAt: toIso(c.clicked_at), customerId: c.customer_id } : null;
  return {
    memberByCode: async (code) => membershipByCode(q, code, M),
    memberStatus: async (promoterId) =>
      (
        await q.query<{ status: string }>(
          "SELECT status FROM memberships WHERE merchant_id = $1 AND program_id = $2 AND promoter_id = $3",
          [M, program.id, promoterId],
        )
      )[0]?.status ?? null,
    clickByToken: async (token) =>
      click(
        (
          await q.query<ClickRow>(
            "SELECT id, promoter_id, program_id, clicked_at, customer_id FROM clicks WHERE merchant_id = $1 AND token = $2",
            [M, token],
          )
        )[0],
      ),
    lastClick: async (customerId, at) =>
      click(
        (
          await q.query<ClickRow>(
            `SELECT id, promoter_id, program_id, clicked_at, customer_id FROM clicks WHERE merchant_id = $1 AND customer_id = $2 AND program_id = $3 AND clicked_at <= $4
             ORDER BY clicked_at DESC LIMIT 1`,
            [M, customerId, program.id, at],
          )
        )[0],
      ),
    binding: async (customerId) => {
      const [b] = await q.query<{ promoter_id: string; bound_at: Date; expires_at: Date }>(
        "SELECT promoter_id, bound_at, expires_at FROM bindings WHERE merchant_id = $1 AND program_id = $2 AND customer_id = $3",
        [M, program.id, customerId],
      );
      return b ? { promoterId: b.promoter_id, boundAt: toIso(b.bound_at), expiresAt: toIso(b.expires_at) } : null;
    },
    saveBinding: async (customerId, b, source) => {
      await upsertBindings(q, M, [{ programId: program.id, customerId, binding: b, source }]);
    },
    linkClick: async (clickId, customerId) => {
      await q.query("UPDATE clicks SET customer_id = $3 WHERE merchant_id = $1 AND id = $2 AND customer_id IS NULL", [
        M,
        clickId,
        customerId,
      ]);
    },
  };
}

export async function attribute(q: Sql, program: Program, a: AttributeInput): Promise<Attribution> {
  return attributeWith(dbAttributionSource(q, program), program, a);
}

export async function upsertBindings(
  q: Sql,
  merchantId: string,
  rows: readonly { programId: string; customerId: string; binding: BindingState; source: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  const params: unknown[] = [merchantId];
  const values = rows.map((r) => {
    const b = params.length;
    params.push(r.programId, r.customerId, r.binding.promoterId, r.source, r.binding.boundAt, r.binding.expiresAt);
    return `($1, $${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::timestamptz, $${b + 6}::timestamptz)`;
  });
  await q.query(
    `INSERT INTO bindings (merchant_id, program_id, customer_id, promoter_id, source, bound_at, expires_at) VALUES ${values.join(", ")}
     ON CONFLICT (merchant_id, program_id, customer_id) DO UPDATE SET promoter_id = EXCLUDED.promoter_id, source = EXCLUDED.source,
       bound_at = EXCLUDED.bound_at, expires_at = EXCLUDED.expires_at`,
    params,
  );
}
