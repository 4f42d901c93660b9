import { Hono } from "hono";
import { z } from "zod";
import { witnessCheckpoint, witnessedCheckpoints } from "../../usecases/index.ts";
import type { HonoEnv } from "../env.ts";
import { describeRoute } from "../openapi.ts";
import { json, query } from "../validate.ts";

const WitnessRequest = z.strictObject({
  note: z.string().min(1).max(16_384).describe("对方网关签名的检查点（C2SP signed note）The peer's signed checkpoint"),
  vkey: z
    .string()
    .min(1)
    .max(512)
    .optional()
    .describe(
      "对方网关的验证公钥（C2SP vkey），可省略；若给出须为目录为该来源登记的公钥 The peer's verifier key (optional; if given, one the directory pins for the origin)",
    ),
});
const WitnessAnswer = z.object({ cosigned: z.string(), witnessKey: z.string() });
const PeerCheckpoint = z.object({
  origin: z.string(),
  size: z.number(),
  rootHex: z.string(),
  note: z.string(),
  receivedAt: z.string(),
});

/**
 * Cross-witnessing (issue 6 item 2): a peer gateway offers its latest checkpoint and gets it back
 * co-signed; the signed note authenticates the request, so no bearer token is needed — but only a
 * signature by a key the signed directory pins for the origin counts (issue 9 item 2).
 */
export const witness = new Hono<HonoEnv>();

witness.post(
  "/v1/archive/witness",
  describeRoute({
    summary: "见证对方检查点 · Witness a peer's checkpoint",
    tags: ["archive"],
    auth: "public",
    description:
      "只用签章目录为对方网关登记的检查点公钥验证签名（未登记的来源或公钥：403），拒绝同一大小的不同根（分裂视图），保存并联署；按来源限速（429，附 Retry-After）。" +
      " Verifies the signature only with the checkpoint keys the signed directory pins for a peer gateway's origin (unknown origin or unpinned key: 403)," +
      " refuses a second root for a size already seen (split view), keeps it and co-signs; rate-limited per origin (429 with Retry-After).",
    responses: { 200: { description: "联署后的检查点 The co-signed checkpoint", schema: WitnessAnswer } },
    errors: ["REQUEST_INVALID", "WITNESS_ORIGIN_UNKNOWN", "WITNESS_KEY_UNPINNED", "DOCUMENT_CONFLICT", "RATE_LIMITED"],
  }),
  json(WitnessRequest),
  async (c) => {
    const { note, vkey } = c.req.valid("json");
    // A RateLimitedError's Retry-After is set by the app's error handler.
    return c.json(
      await witnessCheckpoint(c.var.gateway, { note, ...(vkey !== undefined ? { vkey } : {}) }, c.var.requestId),
    );
  },
);

witness.get(
  "/v1/archive/witnessed",
  describeRoute({
    summary: "已见证的对方检查点 · Peer checkpoints witnessed here",
    tags: ["archive"],
    auth: "public",
    responses: {
      200: {
        description: "按来源与大小排序 By origin and size",
        schema: z.object({ checkpoints: z.array(PeerCheckpoint) }),
      },
    },
  }),
  query(z.strictObject({ origin: z.string().max(256).optional() })),
  async (c) => c.json({ checkpoints: await witnessedCheckpoints(c.var.gateway, c.req.valid("query").origin) }),
);
