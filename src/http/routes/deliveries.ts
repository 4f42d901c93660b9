import { Hono } from "hono";
import { z } from "zod";
import { cancelDelivery, listDeliveries, retryDelivery } from "../../usecases/index.ts";
import type { HonoEnv } from "../env.ts";
import { describeRoute } from "../openapi.ts";
import { Delivery } from "../schemas.ts";
import { query } from "../validate.ts";

const ListQuery = z.strictObject({
  state: Delivery.shape.state.optional().describe("投递状态 Delivery state"),
  limit: z.coerce.number().int().min(1).max(500).optional().describe("条数 How many (1–500)"),
});

const READERS = ["agency", "compliance", "admin"] as const;
/** Retry and cancel act on an agency's deliveries: its own agency and admin; compliance only reads (issue 9 item 11). */
const OPERATORS = ["agency", "admin"] as const;

/** Operators' view of the outbox (issue 5 item 2): an agency sees its own deliveries, admin and compliance all. */
export const deliveries = new Hono<HonoEnv>();

deliveries.get(
  "/v1/deliveries",
  describeRoute({
    summary: "投递列表 · List deliveries",
    tags: ["deliveries"],
    auth: READERS,
    responses: { 200: { description: "投递 Deliveries", schema: z.object({ deliveries: z.array(Delivery) }) } },
  }),
  query(ListQuery),
  async (c) => c.json({ deliveries: await listDeliveries(c.var.gateway, c.var.principal, c.req.valid("query")) }),
);

deliveries.post(
  "/v1/deliveries/:id/retry",
  describeRoute({
    summary: "立即重试 · Retry now",
    tags: ["deliveries"],
    auth: OPERATORS,
    params: { id: "投递编号 Delivery id" },
    responses: { 200: { description: "已安排重试 Scheduled for now", schema: Delivery } },
    errors: ["DELIVERY_NOT_FOUND"],
  }),
  async (c) => c.json(await retryDelivery(c.var.gateway, c.var.principal, c.req.param("id"))),
);

deliveries.post(
  "/v1/deliveries/:id/cancel",
  describeRoute({
    summary: "取消投递 · Cancel",
    tags: ["deliveries"],
    auth: OPERATORS,
    params: { id: "投递编号 Delivery id" },
    responses: { 200: { description: "已取消 Cancelled", schema: Delivery } },
    errors: ["DELIVERY_NOT_FOUND"],
  }),
  async (c) => c.json(await cancelDelivery(c.var.gateway, c.var.principal, c.req.param("id"))),
);
