/** Identity and payout-account routes: the promoter's own (/v1/me/…) and the merchant reviewer's masked view. */
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { secretsOf } from "../../context.ts";
import { authenticate, merchantOf, promoterOf } from "../../http/auth.ts";
import { fail } from "../../http/errors.ts";
import type { Api } from "../../http/types.ts";
import { idempotencyHeaders, idempotent, keyOf, personalRequest, sendStored } from "../idempotency/service.ts";
import { getIdentityRow, isMemberOf, listPayoutAccountRows, sharedAccountCounts } from "./repository.ts";
import type { PayoutDetails } from "./sealing.ts";
import {
  addPayoutAccount,
  getIdentity,
  identityView,
  listPayoutAccounts,
  payoutAccountView,
  personScope,
  putIdentity,
  removePayoutAccount,
} from "./service.ts";
import {
  alipayIdentityProblem,
  appidProblem,
  cardNumberProblem,
  ID_TYPES,
  idNumberProblem,
  legalNameProblem,
  openidProblem,
  phoneProblem,
} from "./validate.ts";

/** A string checked by one of validate.ts's rules (its reason is the message; the value is never repeated). */
function checked(lengthMax: number, problem: (v: string) => string | null) {
  return z
    .string()
    .max(lengthMax)
    .superRefine((v, c) => {
      const why = problem(v);
      if (why) c.addIssue({ code: "custom", message: why });
    });
}

const plainText = (lengthMax: number) =>
  z
    .string()
    .min(1)
    .max(lengthMax)
    .refine((s) => s.trim() !== "", { message: "must not be blank" });

function identityBody(today: () => Date) {
  return z
    .object({
      legalName: checked(100, legalNameProblem).describe("the legal name as on the ID document"),
      idType: z.enum(ID_TYPES),
      idNumber: z.string().min(1).max(40).describe("the ID document's number (spaces and dashes are ignored)"),
      phone: checked(32, phoneProblem).optional(),
    })
    .superRefine((b, c) => {
      const why = idNumberProblem(b.idType, b.idNumber, today());
      if (why) c.addIssue({ code: "custom", path: ["idNumber"], message: why });
    });
}

const wechatAccount = z.object({
  kind: z.literal("wechat"),
  appid: checked(18, appidProblem).describe("the merchant's WeChat appid the openid belongs to"),
  openid: checked(64, openidProblem),
});
const alipayAccount = z
  .object({
    kind: z.literal("alipay"),
    identityType: z.enum(["ALIPAY_USER_ID", "ALIPAY_LOGON_ID"]),
    identity: z.string().min(1).max(100).describe("a user id (2088…) or a login id (e-mail or mobile number)"),
    name: checked(100, legalNameProblem).optional().describe("the account holder's real name; required with a login id"),
  })
  .superRefine((b, c) => {
    const why = alipayIdentityProblem(b.identityType, b.identity);
    if (why) c.addIssue({ code: "custom", path: ["identity"], message: why });
    if (b.identityType === "ALIPAY_LOGON_ID" && b.name === undefined)
      c.addIssue({ code: "custom", path: ["name"], message: "required with an Alipay login id (ALIPAY_LOGON_ID)" });
  });
const bankAccount = z.object({
  kind: z.literal("bank"),
  holderName: checked(100, legalNameProblem),
  bankName: plainText(50).describe("e.g. 招商银行"),
  cardNumber: checked(40, cardNumberProblem).describe("12–19 digits (spaces and dashes are ignored)"),
  branch: plainText(100).optional().describe("the opening branch (开户行), when the bank needs it"),
});
export const payoutAccountBody = z.discriminatedUnion("kind", [wechatAccount, alipayAccount, bankAccount]);

/** Body fields that are personal data: a stored Idempotency-Key keeps only their keyed hash. */
const IDENTITY_SECRET_FIELDS = ["legalName", "idNumber", "phone"] as const;
const ACCOUNT_SECRET_FIELDS = ["openid", "identity", "name", "holderName", "cardNumber"] as const;

export function registerIdentityRoutes(app: Api, ctx: AppContext): void {
  registerOwnIdentityRoutes(app, ctx);
  registerPayoutAccountRoutes(app, ctx);
  registerReviewerRoutes(app, ctx);
}

/** The promoter's own identity. */
function registerOwnIdentityRoutes(app: Api, ctx: AppContext): void {
  app.get("/v1/me/identity", { schema: { tags: ["portal"], summary: "My identity (实名), masked" } }, async (req) => {
    const promoterId = promoterOf(await authenticate(ctx, req));
    return { identity: await ctx.db.read((q) => getIdentity(q, promoterId)) };
  });

  app.put(
    "/v1/me/identity",
    {
      schema: {
        tags: ["portal"],
        summary: "Record or replace my identity (legal name, ID document, phone); answered masked",
        description:
          "The ID number is checked for its document type (a resident ID's length, birth date and check character). " +
          "409 IDENTITY_IN_USE when another promoter account has recorded the same ID number.",
        headers: idempotencyHeaders,
        body: identityBody(() => ctx.clock.now()),
      },
    },
    async (req, reply) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      const ring = secretsOf(ctx);
      const hashed = personalRequest(ring, req.body, IDENTITY_SECRET_FIELDS);
      const out = await ctx.db.tx((q) =>
        idempotent(q, personScope(promoterId), "PUT /v1/me/identity", keyOf(req.headers), hashed, ctx.clock.now(), async () => ({
          statusCode: 200,
          body: { identity: await putIdentity(q, ring, promoterId, req.body, ctx.clock.now()) },
        })),
      );
      return sendStored(reply, out);
    },
  );
}

/** The promoter's own payout accounts. */
function registerPayoutAccountRoutes(app: Api, ctx: AppContext): void {
  app.get("/v1/me/payout-accounts", { schema: { tags: ["portal"], summary: "My payout accounts (收款账户), masked" } }, async (req) => {
    const promoterId = promoterOf(await authenticate(ctx, req));
    return { items: await ctx.db.read((q) => listPayoutAccounts(q, promoterId)) };
  });

  app.post(
    "/v1/me/payout-accounts",
    {
      schema: {
        tags: ["portal"],
        summary: "Add a payout account: WeChat (appid + openid), Alipay (user id, or login id with the real name) or a bank card",
        headers: idempotencyHeaders,
        body: payoutAccountBody,
      },
    },
    async (req, reply) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      const ring = secretsOf(ctx);
      const hashed = personalRequest(ring, req.body, ACCOUNT_SECRET_FIELDS);
      const out = await ctx.db.tx((q) =>
        idempotent(q, personScope(promoterId), "POST /v1/me/payout-accounts", keyOf(req.headers), hashed, ctx.clock.now(), async () => ({
          statusCode: 201,
          body: await addPayoutAccount(q, ring, promoterId, req.body as PayoutDetails, ctx.clock.now()),
        })),
      );
      return sendStored(reply, out);
    },
  );

  app.delete(
    "/v1/me/payout-accounts/:accountId",
    {
      schema: {
        tags: ["portal"],
        summary: "Remove a payout account (409 PAYOUT_ACCOUNT_IN_USE_BY_WITHDRAWAL while a withdrawal pays to it)",
        headers: idempotencyHeaders,
        params: z.object({ accountId: z.string().min(1).max(64) }),
      },
    },
    async (req, reply) => {
      const promoterId = promoterOf(await authenticate(ctx, req));
      const { accountId } = req.params;
      const out = await ctx.db.tx((q) =>
        idempotent(
          q,
          personScope(promoterId),
          `DELETE /v1/me/payout-accounts/${accountId}`,
          keyOf(req.headers),
          {},
          ctx.clock.now(),
          async () => ({
            statusCode: 200,
            body: await removePayoutAccount(q, promoterId, accountId, ctx.clock.now()),
          }),
        ),
      );
      return sendStored(reply, out);
    },
  );
}

/** The merchant's reviewers: a member promoter's identity and accounts, masked, with the duplicate-account signal. */
function registerReviewerRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/promoters/:promoterId/identity",
    {
      schema: {
        tags: ["promoters"],
        summary: "A promoter's identity and payout accounts, masked, for reviewers; with how many other promoters share each account",
        params: z.object({ promoterId: z.string().min(1).max(64) }),
      },
    },
    async (req) => {
      const merchantId = merchantOf(await authenticate(ctx, req));
      const { promoterId } = req.params;
      return ctx.db.read(async (q) => {
        if (!(await isMemberOf(q, merchantId, promoterId))) fail("NOT_FOUND", "No such promoter at this merchant.", { promoterId });
        const shared = await sharedAccountCounts(q, promoterId, merchantId);
        const accounts = await listPayoutAccountRows(q, promoterId, { activeOnly: false });
        return {
          promoterId,
          identity: identityView(await getIdentityRow(q, promoterId)),
          payoutAccounts: accounts.map((a) => ({
            ...payoutAccountView(a),
            sharedWith: shared.get(a.id) ?? { promoters: 0, promotersHere: 0 },
          })),
        };
      });
    },
  );
}
