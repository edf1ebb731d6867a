/**
 * What the idempotency key of a paid order stores, and how a replay gets the first response back from it.
 *
 * A response is most of the bytes a set writes, and most of a response is its commission lines, whose details
 * (amounts, kinds, explanations) never change once written. So the key stores the response's JSON text with each
 * commission line replaced by its id, and a replay reads the lines back by id, in order, and puts them where they were.
 * The text keeps the order of every key (a jsonb object would not): a replay is exactly the first response's JSON,
 * whether or not the order earned any commission.
 */
import type { Sql } from "../../db/client.ts";
import { loadBody, storedBody } from "../idempotency/service.ts";
import type { OrderView } from "./view.ts";

type Line = OrderView["commissions"][number];

/** The key's response: `{"$paidOrder": view with commissions: [id…]}` as JSON text. */
export function storedPaidView(view: OrderView): string {
  return storedBody({ $paidOrder: { ...view, commissions: view.commissions.map((c) => c.id) } });
}

/** Keys stored before responses were kept as text: the view without its lines (a jsonb object) and the line ids. */
interface LegacyPaidView {
  $paidOrder: Omit<OrderView, "commissions">;
  commissionIds: string[];
}
type StoredPaid = { $paidOrder: Omit<OrderView, "commissions"> & { commissions: string[] } };

const isPaid = (v: unknown): v is StoredPaid => !!v && typeof v === "object" && Array.isArray((v as StoredPaid).$paidOrder?.commissions);
const isLegacy = (v: unknown): v is LegacyPaidView =>
  !!v &&
  typeof v === "object" &&
  !!(v as Partial<LegacyPaidView>).$paidOrder &&
  Array.isArray((v as Partial<LegacyPaidView>).commissionIds);

const lineIdsOf = (v: unknown): string[] => (isPaid(v) ? v.$paidOrder.commissions : isLegacy(v) ? v.commissionIds : []);

/**
 * The responses the keys of a set replay (their stored bodies as decideClaims returns them), with one read of the
 * commission lines they name. A paid view is rebuilt as it was first returned (reversals came later); anything else
 * is returned as stored.
 */
export async function replayedPaidViews(q: Sql, merchantId: string, stored: readonly unknown[]): Promise<unknown[]> {
  const bodies = stored.map(loadBody);
  const ids = bodies.flatMap(lineIdsOf);
  const lines = ids.length === 0 ? new Map<string, Line>() : await readLines(q, merchantId, ids);
  const line = (id: string): Line => {
    const l = lines.get(id);
    if (!l) throw new Error(`commission line ${id} of a stored response is missing`);
    return l;
  };
  return bodies.map((v) => {
    if (isPaid(v)) return { ...v.$paidOrder, commissions: v.$paidOrder.commissions.map(line) };
    if (isLegacy(v)) return legacyView(v, v.commissionIds.map(line));
    return v;
  });
}

/** A legacy stored view in the order of the keys of a first response (jsonb kept them in its own order). */
function legacyView(v: LegacyPaidView, commissions: Line[]): OrderView {
  const o = v.$paidOrder;
  return {
    orderId: o.orderId,
    orderRef: o.orderRef,
    programId: o.programId,
    status: o.status,
    amountMinor: o.amountMinor,
    refundedMinor: o.refundedMinor,
    promoterId: o.promoterId,
    attributionPath: o.attributionPath,
    isFirstOrder: o.isFirstOrder,
    commissions,
    rewardEvents: o.rewardEvents,
    ...(o.warnings ? { warnings: o.warnings } : {}),
  };
}

/** Commission lines as a paid order's first response shows them (nothing reversed yet, pending). */
async function readLines(q: Sql, merchantId: string, ids: readonly string[]): Promise<Map<string, Line>> {
  const rows = await q.query<{
    id: string;
    beneficiary_id: string;
    level: number;
    kind: string;
    line_no: number | null;
    amount_minor: number;
    explanation_zh: string;
    explanation_en: string;
  }>(
    `SELECT id, beneficiary_id, level, kind, line_no, amount_minor, explanation_zh, explanation_en FROM commission_lines
     WHERE merchant_id = $1 AND id = ANY($2)`,
    [merchantId, ids],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        beneficiaryId: r.beneficiary_id,
        level: Number(r.level),
        kind: r.kind,
        lineNo: r.line_no,
        amountMinor: Number(r.amount_minor),
        reversedMinor: 0,
        state: "pending",
        explanation: { zh: r.explanation_zh, en: r.explanation_en },
      },
    ]),
  );
}
