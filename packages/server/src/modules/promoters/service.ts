import { parsePlan, planRankKeys } from "@fenxiao/core";
import type { KeyRing } from "../../crypto/sealed.ts";
import type { Sql } from "../../db/client.ts";
import { fail, invalid } from "../../http/errors.ts";
import { newId } from "../../ids.ts";
import { allocateCode, type CodeSource, claimChosenCode } from "../codes/service.ts";
import { getProgram, type Program, publishedFrom } from "../programs/repository.ts";
import { getMembership, membershipByCode } from "./repository.ts";
import { sealPromoterPhone } from "./sealing.ts";

/** A new promoter; the phone, when given, sealed (sealing.ts). */
export async function createPromoter(
  q: Sql,
  ring: KeyRing,
  p: { name: string; phone?: string | null; userId?: string | null },
  id = newId("pmt"),
): Promise<string> {
  const phone = p.phone ? sealPromoterPhone(ring, id, p.phone) : null;
  await q.query("INSERT INTO promoters (id, user_id, name, phone_sealed, phone_index, phone_masked) VALUES ($1, $2, $3, $4, $5, $6)", [
    id,
    p.userId ?? null,
    p.name,
    phone?.sealed ?? null,
    phone?.index ?? null,
    phone?.masked ?? null,
  ]);
  return id;
}

/** Longest rank key a membership may hold. */
export const RANK_LENGTH_MAX = 32;
/** A rank key where the plan has no ladder: non-empty, no space at either end. */
const RANK_PATTERN = /^\S(?:.*\S)?$/u;

/**
 * A rank may be stored on a membership only if it is one the program's plans know: a key of the ladder of a published
 * version that pays from `at` on (the one in force, or a later-dated one). Where none has a ladder, any key that fits
 * RANK_PATTERN. Null (the base rank) is always allowed. Refused as a validation error naming `field`.
 */
export async function checkRank(q: Sql, program: Program, rank: string | null, at: Date, field = "rank"): Promise<void> {
  if (rank === null) return;
  if (rank.length > RANK_LENGTH_MAX) invalid(field, `at most ${RANK_LENGTH_MAX} characters`);
  if (!RANK_PATTERN.test(rank)) invalid(field, "a rank key must not be empty or start or end with a space");
  const ladder = new Set<string>();
  for (const v of await publishedFrom(q, program.merchantId, program.id, at)) {
    const parsed = parsePlan(v.document);
    if (parsed.ok) for (const k of planRankKeys(parsed.plan)) ladder.add(k);
  }
  if (ladder.size > 0 && !ladder.has(rank))
    invalid(field, `unknown rank "${rank}": the program's plan ranks are ${[...ladder].sort().join(", ")}`);
}

/**
 * Join a program: one step, never a fee. With an invite code the code's owner becomes the inviter (level 1)
 * and the inviter's inviter level 2; the chain is fixed at join. The member's own code (promo and invite code) is
 * registered in public_codes in the same transaction: a random one from `codes`, or the merchant's choice `code`
 * (409 CODE_TAKEN when anyone already has it).
 */
export async function joinProgram(
  q: Sql,
  j: {
    merchantId: string;
    programId: string;
    promoterId: string;
    inviteCode?: string | null;
    rank?: string | null;
    code?: string | null;
    at: Date;
    codes?: CodeSource;
  },
) {
  const program = await getProgram(q, j.merchantId, j.programId);
  if (program.status !== "active") fail("PROGRAM_INACTIVE");
  if (await getMembership(q, j.merchantId, j.programId, j.promoterId)) fail("ALREADY_MEMBER");
  await checkRank(q, program, j.rank ?? null, j.at);
  let inviterId: string | null = null;
  let inviter2Id: string | null = null;
  if (j.inviteCode) {
    const inviter = await membershipByCode(q, j.inviteCode, j.merchantId);
    if (!inviter || inviter.programId !== j.programId) fail("INVITE_CODE_UNKNOWN", undefined, { field: "inviteCode" });
    inviterId = inviter.promoterId;
    inviter2Id = inviter.inviterId;
  }
  const owner = { kind: "membership", merchantId: j.merchantId, programId: j.programId, promoterId: j.promoterId } as const;
  const code = j.code ? await claimChosenCode(q, j.code, owner, j.at, "code") : await allocateCode(q, owner, j.at, j.codes);
  await q.query(
    `INSERT INTO memberships (merchant_id, program_id, promoter_id, code, inviter_id, inviter2_id, rank, status, joined_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8)`,
    [j.merchantId, j.programId, j.promoterId, code, inviterId, inviter2Id, j.rank ?? null, j.at],
  );
  return { merchantId: j.merchantId, programId: j.programId, promoterId: j.promoterId, code, inviterId, inviter2Id };
}
