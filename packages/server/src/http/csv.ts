/**
 * CSV exports (every list has one): streamed page by page with csv-stringify, UTF-8 with a byte order mark so that Excel
 * reads Chinese text correctly. Each page is its own short read; the stream waits for the client (backpressure).
 */
import { stringify } from "csv-stringify";
import type { FastifyReply } from "fastify";

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => unknown;
}

export type PageFetch<T> = (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>;

/** The stored value for a cell: dates as ISO instants, objects as JSON, null as empty. */
function cell(v: unknown): string | number {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "number" || typeof v === "string") return v;
  if (typeof v === "bigint" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

export async function sendCsv<T>(reply: FastifyReply, filename: string, columns: CsvColumn<T>[], fetch: PageFetch<T>): Promise<void> {
  const first = await fetch(null); // a bad filter fails here, before any byte is sent
  const out = stringify({ bom: true, header: true, columns: columns.map((c) => c.header) });
  reply.header("content-type", "text/csv; charset=utf-8");
  reply.header("content-disposition", `attachment; filename="${filename}"`);
  reply.header("cache-control", "no-store");
  void pump(out, columns, first, fetch);
  return reply.send(out);
}

async function pump<T>(
  out: ReturnType<typeof stringify>,
  columns: CsvColumn<T>[],
  first: { items: T[]; nextCursor: string | null },
  fetch: PageFetch<T>,
): Promise<void> {
  try {
    let pageNow = first;
    for (;;) {
      for (const row of pageNow.items) {
        if (out.destroyed) return;
        if (!out.write(columns.map((c) => cell(c.value(row))))) await drained(out);
      }
      if (!pageNow.nextCursor) break;
      pageNow = await fetch(pageNow.nextCursor);
    }
    out.end();
  } catch (e) {
    out.destroy(e as Error);
  }
}

/** Resolves when the stream can take more, or when it is closed (the client went away). */
function drained(out: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off("drain", done);
      out.off("close", done);
      resolve();
    };
    out.on("drain", done);
    out.on("close", done);
  });
}
