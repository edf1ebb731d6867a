import type { AppContext } from "../../context.ts";
import type { Sql } from "../../db/client.ts";
import { fail, invalid } from "../../http/errors.ts";
import { isWebUrl } from "../../http/urls.ts";
import { deleteCode } from "../codes/repository.ts";
import { allocateCode } from "../codes/service.ts";
import { requireActiveMerchant } from "../merchants/status.ts";
import { getProgram } from "../programs/repository.ts";
import { requireMembership } from "../promoters/repository.ts";

export function withParams(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

export type LinkRequest = { merchantId: string; programId: string; productId?: string };

/** A promoter's link for a program (and product): the existing one, or a new one with a registered code. */
export async function myLink(q: Sql, ctx: AppContext, promoterId: string, b: LinkRequest) {
  const m = await requireMembership(q, b.merchantId, b.programId, promoterId);
  if (m.status !== "active") fail("FORBIDDEN", "Your membership is not active.");
  // A suspended merchant's links answer "paused" (/r): no new link or poster is handed out meanwhile.
  await requireActiveMerchant(q, b.merchantId);
  const existing = await existingLink(q, b, promoterId);
  if (existing) return { ...existing, created: false };
  const target = await landingOf(q, b);
  const owner = { kind: "link", merchantId: b.merchantId, programId: b.programId, promoterId } as const;
  const at = ctx.clock.now();
  const code = await allocateCode(q, owner, at, ctx.codes);
  // A concurrent request for the same link may have written it since: keep that one and give the code back.
  const [inserted] = await q.query(
    `INSERT INTO links (merchant_id, code, program_id, promoter_id, product_id, target_url, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (merchant_id, program_id, promoter_id, coalesce(product_id, '')) DO NOTHING RETURNING code`,
    [b.merchantId, code, b.programId, promoterId, b.productId ?? null, target, at],
  );
  if (inserted) return { code, targetUrl: target, created: true };
  await deleteCode(q, code, owner);
  const winner = await existingLink(q, b, promoterId);
  if (!winner) throw new Error("link conflict without a link");
  return { ...winner, created: false };
}

async function existingLink(q: Sql, b: LinkRequest, promoterId: string): Promise<{ code: string; targetUrl: string } | null> {
  const [row] = await q.query<{ code: string; target_url: string }>(
    "SELECT code, target_url FROM links WHERE merchant_id = $1 AND program_id = $2 AND promoter_id = $3 AND coalesce(product_id, '') = $4",
    [b.merchantId, b.programId, promoterId, b.productId ?? ""],
  );
  return row ? { code: row.code, targetUrl: row.target_url } : null;
}

/** The page a new link leads to: the product's landing URL, else the program's with ?product=; http(s) only. */
async function landingOf(q: Sql, b: LinkRequest): Promise<string> {
  const program = await getProgram(q, b.merchantId, b.programId);
  let target = program.landingUrl;
  if (b.productId) {
    const [prod] = await q.query<{ landing_url: string | null }>("SELECT landing_url FROM products WHERE merchant_id = $1 AND id = $2", [
      b.merchantId,
      b.productId,
    ]);
    if (!prod) fail("NOT_FOUND", "No such product.", { field: "productId" });
    target = prod.landing_url ?? withParams(program.landingUrl, { product: b.productId });
  }
  // Landing URLs written before they were checked on input may still be something else: never make a link to one.
  if (!isWebUrl(target))
    invalid(b.productId ? "productId" : "programId", "its landing URL is not an http(s) URL; the merchant must correct it");
  return target;
}
