/** Save a server-side CSV export (GET …/export.csv with the list's filters) as a file, with the session's token. */
import { ApiError, getSession, withQuery } from "../api/client.ts";

export async function downloadCsv(
  path: string,
  query: Record<string, string | number | undefined | null>,
  filename: string,
): Promise<void> {
  const session = getSession();
  const res = await fetch(withQuery(path, query), { headers: session ? { authorization: `Bearer ${session.token}` } : {} });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(res.status, body?.error?.code ?? "HTTP_ERROR", body?.error?.message ?? res.statusText);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
