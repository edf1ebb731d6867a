/**
 * CSV import of paid orders over HTTP: the file is the request body (Content-Type text/csv), streamed to a spool file
 * (never held in memory), then imported in the background; the answer is the job, to poll for progress and for the
 * refused rows. The same Idempotency-Key with the same file answers the first job again.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync } from "node:fs";
import { open as openFile, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse as parseSync } from "csv-parse/sync";
import { z } from "zod";
import { type AppContext, secretsOf } from "../../context.ts";
import { authenticate, merchantOf } from "../../http/auth.ts";
import { ApiError, fail, invalid } from "../../http/errors.ts";
import type { Api } from "../../http/types.ts";
import { newId } from "../../ids.ts";
import { idempotencyHeaders, idempotent, keyOf, sendStored } from "../idempotency/service.ts";
import { checkHeader } from "./columns.ts";
import { getJob, insertJob, type JobView, listJobs, listRejections } from "./repository.ts";
import { ImportInterrupted, runImport } from "./service.ts";

/** An uploaded file at most. */
export const IMPORT_BYTES_MAX = 1024 * 1_048_576;
/** Refused rows per page at most. */
export const REJECTIONS_PAGE_MAX = 1000;
export const JOBS_LIST_MAX = 50;
/**
 * A running job whose progress has not moved for this long is shown as interrupted: its process stopped without
 * saying so (a chunk of orders takes seconds, and progress is written after every chunk).
 */
export const IMPORT_STALE_MS = 10 * 60_000;

/** The job as it stands: `running` without progress for IMPORT_STALE_MS means its process is gone. */
function asOf<T extends JobView>(job: T, now: Date): T {
  if (job.status !== "running" || now.getTime() - Date.parse(job.updatedAt) <= IMPORT_STALE_MS) return job;
  return {
    ...job,
    status: "interrupted",
    error: job.error ?? "interrupted: no progress for 10 minutes; upload the file again to finish it",
  };
}

const jobParams = z.object({ jobId: z.string().min(1).max(64) });
const CSV_TYPES = ["text/csv", "application/csv", "text/plain", "application/octet-stream"];

/** Count the bytes going through, and stop past the limit. */
function limited(max: number, hash: ReturnType<typeof createHash>, seen: { bytes: number }) {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen.bytes += chunk.length;
      if (seen.bytes > max) return done(new ApiError("PAYLOAD_TOO_LARGE", `An import file is at most ${max} bytes.`, { limitBytes: max }));
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

/** The CSV header line of a spooled file (its first 64 KiB). */
async function headerOf(path: string): Promise<string[]> {
  const fh = await openFile(path, "r");
  try {
    const buf = Buffer.alloc(65_536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf
      .subarray(0, bytesRead)
      .toString("utf8")
      .replace(/^\uFEFF/, "");
    const first = text.split(/\r?\n/, 1)[0] ?? "";
    const rows = parseSync(first, { relax_quotes: true }) as string[][];
    return (rows[0] ?? []).map((c) => c.trim().toLowerCase());
  } finally {
    await fh.close();
  }
}

export function registerImportRoutes(app: Api, ctx: AppContext): void {
  const running = new Map<string, { input: Readable; done: Promise<unknown> }>();
  const spoolDir = join(tmpdir(), "fenxiao-imports");
  app.addHook("onClose", async () => {
    for (const r of running.values()) r.input.destroy(new ImportInterrupted());
    await Promise.allSettled([...running.values()].map((r) => r.done));
  });

  app.register(async (scope) => {
    scope.addContentTypeParser(CSV_TYPES, (_req, payload, done) => done(null, payload));
    scope.post(
      "/v1/imports/orders",
      {
        schema: {
          tags: ["imports"],
          summary: "Upload a CSV of paid orders (one row per line, docs/integrations.md): answers the job to poll",
          headers: idempotencyHeaders,
          querystring: z.object({
            programId: z.string().min(1).max(64).optional().describe("the program of rows without program_id"),
            source: z.string().min(1).max(200).optional().describe("the file's name, shown with the job"),
          }),
        },
      },
      async (req, reply) => {
        const merchantId = merchantOf(await authenticate(ctx, req));
        const query = req.query as { programId?: string; source?: string };
        if (!(req.body instanceof Readable)) invalid("body", "send the CSV file itself as the body, with Content-Type: text/csv");
        mkdirSync(spoolDir, { recursive: true });
        const spool = join(spoolDir, `${randomBytes(12).toString("hex")}.csv`);
        const hash = createHash("sha256");
        const seen = { bytes: 0 };
        let started = false;
        try {
          await pipeline(req.body as Readable, limited(IMPORT_BYTES_MAX, hash, seen), createWriteStream(spool));
          const { missing } = checkHeader(await headerOf(spool));
          if (missing.length > 0)
            fail("IMPORT_COLUMNS_MISSING", `The CSV header lacks ${missing.join(", ")} (docs/integrations.md lists the columns).`, {
              missing,
            });
          const now = ctx.clock.now();
          const request = { sha256: hash.digest("hex"), bytes: seen.bytes, programId: query.programId ?? null };
          const out = await ctx.db.tx((q) =>
            idempotent(q, merchantId, "POST /v1/imports/orders", keyOf(req.headers), request, now, async () => {
              const id = newId("imp");
              await insertJob(q, { merchantId, id, source: query.source ?? "upload", status: "running", bytesTotal: seen.bytes, at: now });
              return { statusCode: 202, body: await getJob(q, merchantId, id) };
            }),
          );
          if (!out.replayed) {
            const jobId = (out.body as { id: string }).id;
            const input = createReadStream(spool);
            const done = runImport({
              db: ctx.db,
              ring: secretsOf(ctx),
              merchantId,
              jobId,
              programId: query.programId,
              input,
              now: () => ctx.clock.now(),
            })
              .catch(() => undefined) // the job row has the reason
              .finally(() => {
                running.delete(jobId);
                return unlink(spool).catch(() => undefined);
              });
            running.set(jobId, { input, done });
            started = true;
          }
          return sendStored(reply, out);
        } finally {
          if (!started) await unlink(spool).catch(() => undefined);
        }
      },
    );
  });

  app.get("/v1/imports", { schema: { tags: ["imports"], summary: "The merchant's recent imports, newest first" } }, async (req) => {
    const merchantId = merchantOf(await authenticate(ctx, req));
    return { items: await ctx.db.read((q) => listJobs(q, merchantId, JOBS_LIST_MAX)) };
  });

  app.get(
    "/v1/imports/:jobId",
    {
      schema: {
        tags: ["imports"],
        summary: "An import's progress (rows read, orders imported and skipped, rows refused) and its first refused rows",
        params: jobParams,
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => {
        const job = await getJob(q, merchantId, req.params.jobId);
        if (!job) fail("NOT_FOUND", "No such import.", { jobId: req.params.jobId });
        return { ...asOf(job, ctx.clock.now()), rejections: await listRejections(q, merchantId, job.id, 0, 100) };
      });
    },
  );

  app.get(
    "/v1/imports/:jobId/rejections",
    {
      schema: {
        tags: ["imports"],
        summary: "An import's refused rows in row order: row number, order, field and reason",
        params: jobParams,
        querystring: z.object({
          afterRow: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
          limit: z.coerce.number().int().min(1).max(REJECTIONS_PAGE_MAX).default(REJECTIONS_PAGE_MAX),
        }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      return ctx.db.read(async (q) => {
        const job = await getJob(q, merchantId, req.params.jobId);
        if (!job) fail("NOT_FOUND", "No such import.", { jobId: req.params.jobId });
        const items = await listRejections(q, merchantId, job.id, req.query.afterRow, req.query.limit);
        return { items, nextAfterRow: items.length === req.query.limit ? (items.at(-1)?.rowNo ?? null) : null };
      });
    },
  );
}
