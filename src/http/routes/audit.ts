import { Hono } from "hono";
import { z } from "zod";
import { listAuditEvents } from "../../usecases/index.ts";
import type { HonoEnv } from "../env.ts";
import { describeRoute } from "../openapi.ts";
import { AuditEvent, agencyId } from "../schemas.ts";
import { query } from "../validate.ts";

const AuditQuery = z.strictObject({
  agency: agencyId.optional().describe("机构 Agency"),
  kind: z.string().max(60).optional().describe("事件类型，如 security.equivocation Event kind"),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe("条数 How many (1–1000)"),
});

/** The audit trail, for compliance and admin only. */
export const audit = new Hono<HonoEnv>();

audit.get(
  "/v1/audit",
  describeRoute({
    summary: "审计事件 · Audit events",
    tags: ["audit"],
    auth: ["compliance", "admin"],
    responses: {
      200: { description: "审计事件，新的在前 Audit events", schema: z.object({ events: z.array(AuditEvent) }) },
    },
  }),
  query(AuditQuery),
  async (c) => {
    const { agency, ...rest } = c.req.valid("query");
    return c.json({
      events: await listAuditEvents(c.var.gateway, c.var.principal, {
        ...rest,
        ...(agency ? { agencyId: agency } : {}),
      }),
    });
  },
);
