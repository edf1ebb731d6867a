/** Allocation of public codes: random codes are registered with bounded retries; a chosen code is taken or refused. */
import type { Sql } from "../../db/client.ts";
import { fail } from "../../http/errors.ts";
import { newCode, randomBase32 } from "../../ids.ts";
import { type CodeKind, type CodeOwner, insertCode } from "./repository.ts";

/**
 * Attempts at a free random code before giving up. A membership code is one of 32^6 ≈ 1.07e9 and a link code one of
 * 32^8, so even with a million codes taken eight attempts all fail with a probability below 1e-24.
 */
export const CODE_ATTEMPTS_MAX = 8;

/** A public code chosen by a merchant: 4–16 letters and digits, stored upper-case. */
export const CHOSEN_CODE = /^[0-9A-Za-z]{4,16}$/;

/**
 * Where candidate codes come from: `attempt` counts from 0 within one allocation. The default draws random codes;
 * tests pass a source that makes writers collide on purpose.
 */
export type CodeSource = (kind: CodeKind, attempt: number) => string;

export const randomCodes: CodeSource = (kind) => (kind === "link" ? `${newCode()}${randomBase32(2).toUpperCase()}` : newCode());

/** Register a fresh random code for `owner` in the caller's transaction, trying another one on each collision. */
export async function allocateCode(q: Sql, owner: CodeOwner, at: Date, source: CodeSource = randomCodes): Promise<string> {
  for (let attempt = 0; attempt < CODE_ATTEMPTS_MAX; attempt++) {
    const code = source(owner.kind, attempt).toUpperCase();
    if (await insertCode(q, code, owner, at)) return code;
  }
  throw new Error(`no free ${owner.kind} code after ${CODE_ATTEMPTS_MAX} attempts`);
}

/** Register a code the merchant chose; 409 CODE_TAKEN naming the field when any owner (of any merchant) has it. */
export async function claimChosenCode(q: Sql, code: string, owner: CodeOwner, at: Date, field: string): Promise<string> {
  const upper = code.toUpperCase();
  if (!(await insertCode(q, upper, owner, at))) fail("CODE_TAKEN", undefined, { field, code: upper });
  return upper;
}
