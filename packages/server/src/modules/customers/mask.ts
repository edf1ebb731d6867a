/** What a promoter may see of a customer (SPEC §6): 13812341234 → 138****1234; names keep the first character. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\s+/g, "");
  if (digits.length < 7) return "****";
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

export function maskName(name: string | null): string | null {
  if (!name) return null;
  const chars = [...name];
  return chars.length <= 1 ? "*" : `${chars[0]}${"*".repeat(Math.min(chars.length - 1, 3))}`;
}

export function maskRef(ref: string): string {
  return ref.length <= 4 ? "****" : `${ref.slice(0, 2)}****${ref.slice(-2)}`;
}
