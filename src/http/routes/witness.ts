import { Hono } from "hono";
import { z } from "zod";
import { witnessCheckpoint, witnessedCheckpoints } from "../../usecases/witness.ts";
import type { HonoEnv } from "../env.ts";
import { describeRoute } from "../openapi.ts";
import { json, query } from "../validate.ts";

const WitnessRequest = z.strictObject({
  note: z.string().min(1).max(16_384).describe("对方网关签名的检查点（C2SP signed note）The peer's signed checkpoint"),
  vkey: z.string().min(1).max(512).describe("对方网关的验证公钥（C2SP vkey）The peer's verifier key"),
});
const WitnessAnswer = z.object({ cosigned: z.string(), witnessKey: z.string() });
const PeerCheckpoint = z.object({ origin: z.string(), size: z.number(), rootHex: z.string(), note: z.string(), receivedAt: z.string() });

/**
 * Cross-witnessing (issue 6 item 2): a peer gateway offers its latest checkpoint and gets it back
 * co-signed; the signed note authenticates the request, so no bearer token is needed.
 */
export const witness = new Hono<HonoEnv>();

witness.post(
  "/v1/archive/witness",
  describeRoute({
    summary: "见证对方检查点 · Witness a peer's checkpoint", tags: ["archive"], auth: "public",
    description: "验证对方签名，拒绝同一大小的不同根（分裂视图），保存并联署。Verifies the origin's signature, refuses a second root for a size already seen (split view), keeps it and co-signs.",
    responses: { 200: { description: "联署后的检查点 The co-signed checkpoint", schema: WitnessAnswer } },
    errors: ["REQUEST_INVALID", "DOCUMENT_CONFLICT"],
  }),
  json(WitnessRequest),
  async (c) => {
    const { note, vkey } = c.req.valid("json");
    return c.json(await witnessCheckpoint(c.var.gateway, note, vkey, c.var.requestId));
  },
);

witness.get(
  "/v1/archive/witnessed",
  describeRoute({
    summary: "已见证的对方检查点 · Peer checkpoints witnessed here", tags: ["archive"], auth: "public",
    responses: { 200: { description: "按来源与大小排序 By origin and size", schema: z.object({ checkpoints: z.array(PeerCheckpoint) }) } },
  }),
  query(z.strictObject({ origin: z.string().max(256).optional() })),
  async (c) => c.json({ checkpoints: await witnessedCheckpoints(c.var.gateway, c.req.valid("query").origin) }),
);
