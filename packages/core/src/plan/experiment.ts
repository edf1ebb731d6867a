/**
 * P20: A/B plans. A promoter's variant is a pure function of (experiment id, promoter id):
 * FNV-1a 32-bit hash of "<experimentId>:<promoterId>" modulo 10 000, walked over the variants' cumulative weights.
 */
import type { PlanBody, PlanDocument } from "./schema.ts";

export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Bucket in [0, 10 000) of a promoter in an experiment. */
export function experimentBucket(experimentId: string, promoterId: string): number {
  return fnv1a32(`${experimentId}:${promoterId}`) % 10_000;
}

export interface VariantChoice {
  plan: PlanBody;
  variant: { experimentId: string; key: string } | null;
}

/** The plan body that applies to a promoter: the document itself, or their experiment variant's plan. */
export function planForPromoter(doc: PlanDocument, promoterId: string): VariantChoice {
  const exp = doc.experiment;
  if (!exp) return { plan: doc, variant: null };
  const b = experimentBucket(exp.id, promoterId);
  let acc = 0;
  for (const v of exp.variants) {
    acc += v.weightBps;
    if (b < acc) return { plan: v.plan ?? doc, variant: { experimentId: exp.id, key: v.key } };
  }
  const last = exp.variants[exp.variants.length - 1];
  return { plan: last?.plan ?? doc, variant: last ? { experimentId: exp.id, key: last.key } : null };
}
