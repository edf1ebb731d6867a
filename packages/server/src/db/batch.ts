/**
 * Group commit (micro-batching): concurrent units of work share one database transaction and one COMMIT.
 * Each unit runs inside its own SAVEPOINT, so a unit that fails is rolled back alone and gets its own error,
 * while the others commit. Callers get their result only after the COMMIT succeeded, so an acknowledged
 * write is durable and an unacknowledged one may be retried (with its Idempotency-Key) safely.
 *
 * Work is spread over lanes by key (the merchant), so one merchant's work is always in one lane, in order:
 * lanes never wait on each other's ledger head lock in a cycle. A lane's transaction may hold several merchants'
 * heads (one per unit): its units run in key order (a stable sort, so one merchant's units keep their order), the
 * merchant-id order in which a paid-order set that spans merchants takes its heads (docs/ledger.md, "Lock order").
 */
import type { Sql } from "./sql.ts";

/** Units of work per transaction at most. */
export const BATCH_SIZE_MAX = 64;

interface Job {
  key: string;
  fn: (q: Sql) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class BatchQueue {
  private readonly lanes: { queue: Job[]; running: boolean }[];

  constructor(
    private readonly runTx: <T>(fn: (q: Sql) => Promise<T>) => Promise<T>,
    lanes: number,
  ) {
    this.lanes = Array.from({ length: Math.max(1, lanes) }, () => ({ queue: [], running: false }));
  }

  submit<T>(key: string, fn: (q: Sql) => Promise<T>): Promise<T> {
    const lane = this.lanes[laneOf(key, this.lanes.length)] as { queue: Job[]; running: boolean };
    return new Promise<T>((resolve, reject) => {
      lane.queue.push({ key, fn, resolve: resolve as (v: unknown) => void, reject });
      if (!lane.running) void this.drain(lane);
    });
  }

  private async drain(lane: { queue: Job[]; running: boolean }): Promise<void> {
    lane.running = true;
    try {
      while (lane.queue.length > 0) {
        const jobs = inKeyOrder(lane.queue.splice(0, BATCH_SIZE_MAX));
        let outcomes: Outcome[];
        try {
          outcomes = await this.runTx(async (q) => {
            const out: Outcome[] = [];
            for (const job of jobs) {
              await q.query("SAVEPOINT fenxiao_unit");
              try {
                const value = await job.fn(q);
                await q.query("RELEASE SAVEPOINT fenxiao_unit");
                out.push({ ok: true, value });
              } catch (error) {
                // A deadlock or serialization failure aborts the whole transaction: the batch is retried as one.
                if (isRetryable(error)) throw error;
                await q.query("ROLLBACK TO SAVEPOINT fenxiao_unit");
                await q.query("RELEASE SAVEPOINT fenxiao_unit");
                out.push({ ok: false, error });
              }
            }
            return out;
          });
        } catch (error) {
          // The transaction itself failed (commit, connection): nothing of the batch is written.
          for (const job of jobs) job.reject(error);
          continue;
        }
        jobs.forEach((job, i) => {
          const o = outcomes[i] as Outcome;
          if (o.ok) job.resolve(o.value);
          else job.reject(o.error);
        });
      }
    } finally {
      lane.running = false;
    }
  }
}

/** Keys (merchant ids) in one fixed order, the same in every process: by code unit (ids are ASCII). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The units of one transaction in key order, each key's units in the order submitted (Array.prototype.sort is stable). */
function inKeyOrder(jobs: Job[]): Job[] {
  return jobs.sort((a, b) => compareKeys(a.key, b.key));
}

const RETRYABLE = new Set(["40001", "40P01"]);
export function isRetryable(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code !== undefined && RETRYABLE.has(code);
}

function laneOf(key: string, n: number): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) % n;
}
