/**
 * Tax report routes. A merchant (API key or admin) gets the reports of its own withholding agent (`merchant:<id>`);
 * the platform admin gets the platform agent's with `?agent=platform`.
 */
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { type AppContext, secretsOf } from "../../context.ts";
import { actorOf, authenticate, merchantOf, requirePlatformAdmin } from "../../http/auth.ts";
import type { Api } from "../../http/types.ts";
import { sendFile } from "../statements/routes.ts";
import { MONTH_PATTERN } from "../statements/service.ts";
import { quarterlyCsv, withholdingCsv } from "./csv.ts";
import { type Agent, merchantAgent, quarterlyReport, withholdingReport } from "./service.ts";

const agentQuery = z.enum(["platform"]).optional();

async function agentOf(ctx: AppContext, req: FastifyRequest, agent: "platform" | undefined): Promise<{ agent: Agent; actor: string }> {
  const p = await authenticate(ctx, req);
  if (agent === "platform") {
    requirePlatformAdmin(p);
    return { agent: "platform", actor: actorOf(p) };
  }
  return { agent: merchantAgent(merchantOf(p)), actor: actorOf(p) };
}

function fileAgent(agent: Agent): string {
  return agent.replace(":", "-");
}

export function registerTaxReportRoutes(app: Api, ctx: AppContext): void {
  app.get(
    "/v1/tax-reports/withholding",
    {
      schema: {
        tags: ["tax-reports"],
        summary: "Monthly withholding detail per person for the withholding declaration (扣缴申报), masked identities",
        querystring: z.object({
          month: z.string().regex(MONTH_PATTERN, "a month YYYY-MM, e.g. 2026-11"),
          format: z.enum(["json", "csv"]).default("json"),
          agent: agentQuery,
        }),
      },
    },
    async (req, reply) => {
      const { agent } = await agentOf(ctx, req, req.query.agent);
      const report = await ctx.db.read((q) => withholdingReport(q, agent, req.query.month));
      if (req.query.format === "json") return report;
      return sendFile(reply, "csv", `withholding-${fileAgent(agent)}-${report.month}`, withholdingCsv(report));
    },
  );

  app.get(
    "/v1/tax-reports/quarterly",
    {
      schema: {
        tags: ["tax-reports"],
        summary: "Quarterly identity-and-income report (国务院令第810号) as CSV, with full identities (each reveal audited)",
        querystring: z.object({
          quarter: z.string().regex(/^\d{4}-?Q[1-4]$/, "a quarter YYYYQn, e.g. 2026Q4"),
          format: z.enum(["csv"]).default("csv"),
          agent: agentQuery,
        }),
      },
    },
    async (req, reply) => {
      const { agent, actor } = await agentOf(ctx, req, req.query.agent);
      const ring = secretsOf(ctx);
      const report = await ctx.db.tx((q) => quarterlyReport(q, ring, agent, req.query.quarter, { actor, at: ctx.clock.now() }));
      return sendFile(reply, "csv", `quarterly-${fileAgent(agent)}-${report.quarter}`, quarterlyCsv(report));
    },
  );
}
