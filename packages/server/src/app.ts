/** Builds the Fastify application: schemas, OpenAPI document, error mapping, and every module's routes. */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { trustProxyOption } from "./config.ts";
import type { AppContext } from "./context.ts";
import { requireCredentials } from "./http/auth.ts";
import { ApiError } from "./http/errors.ts";
import { registerHeaders } from "./http/headers.ts";
import { frameworkErrors, inputValidatorCompiler, PATH_PARAM_LENGTH_MAX, strictRequestSchemas, validationError } from "./http/input.ts";
import { DEFAULT_LIMITS, registerLimits } from "./http/limits.ts";
import { completeDocument, hideNonApiRoutes } from "./http/openapi.ts";
import { newId } from "./ids.ts";
import { registerAnalyticsRoutes } from "./modules/analytics/routes.ts";
import { registerAuthRoutes } from "./modules/auth/routes.ts";
import { registerCatalogRoutes } from "./modules/catalog/routes.ts";
import { registerCommissionRoutes } from "./modules/commissions/routes.ts";
import { registerConnectorRoutes } from "./modules/connectors/routes.ts";
import { registerCustomerExportRoutes } from "./modules/customers/export.ts";
import { registerCustomerRoutes } from "./modules/customers/routes.ts";
import { registerFundingRoutes } from "./modules/funding/routes.ts";
import { registerIdentityRoutes } from "./modules/identity/routes.ts";
import { registerImportRoutes } from "./modules/imports/routes.ts";
import { registerLedgerRoutes } from "./modules/ledger/routes.ts";
import { registerFxScript } from "./modules/links/fx-script.ts";
import { registerLinkRoutes } from "./modules/links/routes.ts";
import { registerPlatformRoutes } from "./modules/merchants/platform-routes.ts";
import { registerMerchantRoutes } from "./modules/merchants/routes.ts";
import { registerMerchantUserRoutes } from "./modules/merchants/user-routes.ts";
import { registerOrderDetailRoutes } from "./modules/orders/detail.ts";
import { registerOrderRoutes } from "./modules/orders/routes.ts";
import { registerPayoutProviderRoutes } from "./modules/payouts/providers/routes.ts";
import { registerPayoutRoutes } from "./modules/payouts/routes.ts";
import { registerPeriodRoutes } from "./modules/periods/routes.ts";
import { registerPosterRoutes } from "./modules/posters/routes.ts";
import { registerProgramRoutes } from "./modules/programs/routes.ts";
import { registerApplicationRoutes } from "./modules/promoters/application-routes.ts";
import { registerPromoterDetailRoutes } from "./modules/promoters/detail.ts";
import { registerPromoterRoutes } from "./modules/promoters/routes.ts";
import { registerRiskRoutes } from "./modules/risk/routes.ts";
import { registerStatementRoutes } from "./modules/statements/routes.ts";
import { registerTaxReportRoutes } from "./modules/tax-reports/routes.ts";
import { registerWebhookRoutes } from "./modules/webhooks/routes.ts";
import { registerWithdrawalRoutes } from "./modules/withdrawals/routes.ts";
import { registerMoneySettingsRoutes } from "./modules/withdrawals/settings-routes.ts";

/** Request bodies above this are refused with PAYLOAD_TOO_LARGE. */
export const BODY_LIMIT_BYTES = 1_048_576;

export type App = FastifyInstance;

/** What an unexpected error (a 500) leaves for the operator: one line with the id the client was given. */
export interface ErrorReport {
  errorId: string;
  method: string;
  url: string;
  error: unknown;
}

/** One JSON line on stderr per unexpected error: the error id (also in the 500 response), the request, the stack. */
export function logErrorReport(r: ErrorReport): void {
  const e = r.error as { message?: string; code?: string; stack?: string };
  const path = r.url.split("?")[0];
  process.stderr.write(
    `${JSON.stringify({ level: "error", time: new Date().toISOString(), errorId: r.errorId, method: r.method, path, code: e?.code, message: e?.message ?? String(r.error), stack: e?.stack })}\n`,
  );
}

export async function buildApp(
  ctx: AppContext,
  opts: { logger?: boolean; onError?: (r: ErrorReport) => void } = {},
): Promise<FastifyInstance> {
  const onError = opts.onError ?? logErrorReport;
  // The client address (click IPs, rate-limit keys) comes from X-Forwarded-For only behind a trusted proxy (TRUST_PROXY).
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: trustProxyOption(ctx.config.trustProxy),
    routerOptions: { maxParamLength: PATH_PARAM_LENGTH_MAX },
    frameworkErrors,
  });
  // Input (http/input.ts): strict schemas, no NUL or lone surrogate anywhere, errors naming the field.
  app.setValidatorCompiler(inputValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Headers, compression and limits first: their hooks apply to the routes added after them, and a request is counted
  // against its limit before its credentials are checked.
  await registerHeaders(app);
  await registerLimits(app, ctx, { ...DEFAULT_LIMITS, ...ctx.config.limits });
  app.addHook("onRoute", strictRequestSchemas);
  // The OpenAPI document (http/openapi.ts): only the API's routes, each with an operationId and its error responses.
  app.addHook("onRoute", hideNonApiRoutes);
  // Credentials are checked before the body is validated (http/auth.ts). As a route-level onRequest hook appended
  // after the rate limiter's (which @fastify/rate-limit adds to every route in its own onRoute hook), so that a
  // request with wrong credentials is still counted against its client address.
  const credentials = requireCredentials(ctx);
  app.addHook("onRoute", (route) => {
    const own = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...own, credentials];
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Fenxiao API",
        version: "0.1.0",
        license: { name: "Apache-2.0", identifier: "Apache-2.0" },
        description:
          "Distribution and commission platform (分销返利). Amounts are integers in minor units (fen). " +
          "Merchant endpoints take `Authorization: Bearer fxk_…` (API key) or a merchant admin session; promoter endpoints a promoter session (`fxs_…`). " +
          "Writes accept an `Idempotency-Key` header.",
      },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      },
      security: [{ bearer: [] }],
      servers: [{ url: "/", description: "The server that serves this document (PUBLIC_URL)" }],
    },
    transform: jsonSchemaTransform,
    transformObject: completeDocument,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof ApiError) return reply.status(err.status).send(err.toBody());
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => {
        const where = err.validationContext === "body" ? "" : `${err.validationContext}.`;
        const path = (v.instancePath ?? "").replace(/^\//, "").replace(/\//g, ".");
        return { path: `${where}${path}` || String(err.validationContext), message: v.message ?? "invalid" };
      });
      const first = issues[0];
      return reply.status(400).send({
        error: {
          code: "VALIDATION_FAILED",
          message: first ? `${first.path}: ${first.message}` : "The request is not valid.",
          details: { issues },
        },
      });
    }
    const e = err as { statusCode?: number; code?: string; message: string };
    if (e.code === "FST_ERR_CTP_BODY_TOO_LARGE") return reply.status(413).send(new ApiError("PAYLOAD_TOO_LARGE").toBody());
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      // Fastify's own 4xx (a body that is not JSON, an empty JSON body, …) name the body as a field too.
      const path = e.code?.startsWith("FST_ERR_CTP_") ? "body" : "request";
      return reply.status(400).send(validationError([{ path, message: e.message }]).toBody());
    }
    // Unexpected: the client gets an id to quote, the operator finds the same id with the stack in the log.
    const errorId = newId("err");
    onError({ errorId, method: req.method, url: req.url, error: err });
    return reply.status(500).send(new ApiError("INTERNAL", undefined, { errorId }).toBody());
  });
  app.setNotFoundHandler((_req, reply) => reply.status(404).send(new ApiError("ROUTE_NOT_FOUND").toBody()));

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  app.get("/health", { schema: { tags: ["system"], summary: "Liveness and database check" } }, async () => {
    await ctx.db.read((q) => q.query("SELECT 1"));
    return { status: "ok", database: ctx.db.kind, time: ctx.clock.now().toISOString() };
  });

  const typed = app.withTypeProvider<ZodTypeProvider>();
  registerAuthRoutes(typed, ctx);
  registerMerchantRoutes(typed, ctx);
  registerMerchantUserRoutes(typed, ctx);
  registerPlatformRoutes(typed, ctx);
  registerProgramRoutes(typed, ctx);
  registerCatalogRoutes(typed, ctx);
  registerPromoterRoutes(typed, ctx);
  registerApplicationRoutes(typed, ctx);
  registerPromoterDetailRoutes(typed, ctx);
  registerLinkRoutes(typed, ctx);
  registerPosterRoutes(typed, ctx);
  registerCustomerRoutes(typed, ctx);
  registerCustomerExportRoutes(typed, ctx);
  registerOrderRoutes(typed, ctx);
  registerOrderDetailRoutes(typed, ctx);
  registerCommissionRoutes(typed, ctx);
  registerLedgerRoutes(typed, ctx);
  registerPeriodRoutes(typed, ctx);
  registerIdentityRoutes(typed, ctx);
  registerMoneySettingsRoutes(typed, ctx);
  registerWithdrawalRoutes(typed, ctx);
  registerRiskRoutes(typed, ctx);
  registerStatementRoutes(typed, ctx);
  registerTaxReportRoutes(typed, ctx);
  registerPayoutProviderRoutes(typed, ctx);
  registerFundingRoutes(typed, ctx);
  registerPayoutRoutes(typed, ctx);
  registerWebhookRoutes(typed, ctx);
  registerConnectorRoutes(typed, ctx);
  registerImportRoutes(typed, ctx);
  registerFxScript(typed);
  registerAnalyticsRoutes(typed, ctx);
  await app.register(import("./http/web.ts"));
  return app;
}
