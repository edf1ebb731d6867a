/** Effective-dated plan versions: an order is evaluated under the version in force at its paidAt. */

export interface DatedPlan<P> {
  /** ISO instant from which the version applies (inclusive). */
  effectiveFrom: string;
  plan: P;
}

/** The version in force at `at`: the latest effectiveFrom ≤ at (ties: the later entry), or null before the first. */
export function planVersionAt<P>(versions: readonly DatedPlan<P>[], at: string): DatedPlan<P> | null {
  const t = Date.parse(at);
  let best: DatedPlan<P> | null = null;
  let bestMs = Number.NEGATIVE_INFINITY;
  for (const v of versions) {
    const ms = Date.parse(v.effectiveFrom);
    if (ms <= t && ms >= bestMs) {
      best = v;
      bestMs = ms;
    }
  }
  return best;
}
