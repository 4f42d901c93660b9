import { Hono } from "hono";
import { z } from "zod";
import {
  GatewayError,
  auditArchive,
  consistencyProofFor,
  cutCheckpoint,
  exportEvidence,
  inclusionProofFor,
  readEntry,
} from "../../usecases/index.ts";
import { toHex } from "../../domain/archive/index.ts";
import type { HonoEnv } from "../env.ts";
import { describeRoute } from "../openapi.ts";
import { agencyId } from "../schemas.ts";
import { query } from "../validate.ts";

/**
 * The e-archive (issue 6 items 2–6). Checkpoint, key and proofs are public: they reveal only hashes,
 * tree sizes and the log's origin, and anyone holding an entry (a pack, a peer, an auditor) must be
 * able to check it against the log without an account. Evidence packs reveal documents: an agency
 * gets its own cases only, compliance and admin any agency's. The audit is for compliance and admin.
 */
export const archive = new Hono<HonoEnv>();

const size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const InclusionQuery = z
  .strictObject({
    index: size.optional().describe("叶序号 Leaf index"),
    leafHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "64 lowercase hex digits")
      .optional()
      .describe("叶哈希 RFC 9162 leaf hash (hex)"),
    treeSize: size
      .optional()
      .describe("树大小（须有检查点；缺省为当前）Tree size of a stored checkpoint (default: current)"),
  })
  .refine((q) => (q.index === undefined) !== (q.leafHash === undefined), "give exactly one of index or leafHash");
const ConsistencyQuery = z.strictObject({
  from: size.describe("旧树大小 Older tree size"),
  to: size
    .optional()
    .describe("新树大小（须有检查点；缺省为当前）Newer tree size with a stored checkpoint (default: current)"),
});
const EvidenceQuery = z.strictObject({
  agency: agencyId
    .optional()
    .describe("机构视角（合规/管理员必填）Whose view of the case (required for compliance, admin)"),
});

const InclusionProof = z.object({
  index: z.number().int(),
  treeSize: z.number().int(),
  leafHash: z.string(),
  proof: z.array(z.string()),
  checkpoint: z.string(),
});
const ConsistencyProof = z.object({
  from: z.number().int(),
  to: z.number().int(),
  proof: z.array(z.string()),
  fromCheckpoint: z.string().optional(),
  toCheckpoint: z.string(),
});
const AuditReport = z.object({
  ok: z.boolean(),
  generatedAt: z.string(),
  origin: z.string().optional(),
  treeSize: z.number().int(),
  checkpoints: z.number().int(),
  items: z.array(z.record(z.string(), z.unknown())),
});
const TEXT = "text/plain; charset=utf-8";

archive.get(
  "/v1/archive/checkpoint",
  describeRoute({
    summary: "最新检查点 · Latest checkpoint",
    tags: ["archive"],
    auth: "public",
    description:
      "C2SP tlog-checkpoint 签名笺（Ed25519）；自上次以来有新叶时即时生成。A C2SP signed note; cut on demand when leaves were appended since the last one.",
    responses: { 200: { description: "签名检查点 Signed checkpoint", contentType: TEXT } },
    errors: ["NOT_FOUND"],
  }),
  async (c) => c.body((await cutCheckpoint(c.var.gateway)).note, 200, { "content-type": TEXT }),
);

archive.get(
  "/v1/archive/key",
  describeRoute({
    summary: "检查点验证公钥 · Checkpoint verifier key",
    tags: ["archive"],
    auth: "public",
    responses: { 200: { description: "C2SP vkey `<name>+<keyid>+<base64>`", contentType: TEXT } },
    errors: ["NOT_FOUND"],
  }),
  (c) => {
    const signer = c.var.gateway.archiveSigner;
    if (!signer) throw new GatewayError("NOT_FOUND", "this gateway has no archive signing key");
    return c.body(signer.verifierKey + "\n", 200, { "content-type": TEXT });
  },
);

archive.get(
  "/v1/archive/entries/:index",
  describeRoute({
    summary: "存档条目 · Archive entry",
    tags: ["archive"],
    auth: ["agency", "compliance", "admin"],
    params: { index: "叶序号 Leaf index" },
    description:
      "条目原始字节（RFC 8785 JSON：meta 与盖章文书，或案件索引）；机构只能读取本机构的条目。The entry's stored bytes (RFC 8785 JSON: meta and the sealed document, or a case index listing the case's leaves); an agency reads only its own. X-Leaf-Hash carries SHA-256(0x00 ‖ entry).",
    responses: { 200: { description: "条目字节 Entry bytes" } },
    errors: ["NOT_FOUND", "REQUEST_INVALID"],
  }),
  async (c) => {
    const index = size.safeParse(c.req.param("index"));
    if (!index.success) throw new GatewayError("REQUEST_INVALID", "index must be a leaf index");
    const leaf = await readEntry(c.var.gateway, c.var.principal, index.data);
    return c.body(leaf.entry.slice().buffer, 200, {
      "content-type": "application/json; charset=utf-8",
      "x-leaf-index": String(leaf.index),
      "x-leaf-hash": toHex(leaf.leafHash),
    });
  },
);

archive.get(
  "/v1/archive/proof/inclusion",
  describeRoute({
    summary: "包含证明 · Inclusion proof",
    tags: ["archive"],
    auth: "public",
    description:
      "RFC 9162 §2.1.3 审计路径（十六进制）及其签名检查点。Audit path (hex) and the signed checkpoint it reaches.",
    responses: { 200: { description: "包含证明 Inclusion proof", schema: InclusionProof } },
    errors: ["NOT_FOUND", "REQUEST_INVALID"],
  }),
  query(InclusionQuery),
  async (c) => c.json(await inclusionProofFor(c.var.gateway, c.req.valid("query"))),
);

archive.get(
  "/v1/archive/proof/consistency",
  describeRoute({
    summary: "一致性证明 · Consistency proof",
    tags: ["archive"],
    auth: "public",
    description:
      "RFC 9162 §2.1.4 一致性证明（十六进制）及两端签名检查点。Proof (hex) with the signed checkpoints of both sizes where stored.",
    responses: { 200: { description: "一致性证明 Consistency proof", schema: ConsistencyProof } },
    errors: ["NOT_FOUND", "REQUEST_INVALID"],
  }),
  query(ConsistencyQuery),
  async (c) => {
    const { from, to } = c.req.valid("query");
    return c.json(await consistencyProofFor(c.var.gateway, from, to));
  },
);

archive.get(
  "/v1/cases/:id/evidence",
  describeRoute({
    summary: "证据包 · Evidence pack",
    tags: ["archive", "cases"],
    auth: ["agency", "compliance", "admin"],
    params: { id: "案件编号 Case id" },
    description:
      "案件全部签章文书与回执、证书与 CRL、验证报告、归档条目与包含证明、签名检查点（README「Evidence packs」）。可离线用 `jiexu archive verify` 验证。Every sealed document and receipt of the case with certificates, CRLs, reports, archive entries, inclusion proofs, the signed checkpoint, the case's latest case index and the gateway's signed statement that it is the latest (completeness); verify offline with `jiexu archive verify`.",
    responses: { 200: { description: "ZIP", contentType: "application/zip" } },
    errors: ["CASE_NOT_FOUND", "REQUEST_INVALID", "FORBIDDEN", "NOT_FOUND"],
  }),
  query(EvidenceQuery),
  async (c) => {
    const caseId = c.req.param("id");
    const zip = await exportEvidence(c.var.gateway, c.var.principal, caseId, c.req.valid("query").agency);
    const name = `evidence-${caseId.replace(/[^A-Za-z0-9._-]/g, "_")}.zip`;
    return c.body(zip as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${name}"`,
    });
  },
);

archive.get(
  "/v1/archive/audit",
  describeRoute({
    summary: "四性检测 · Integrity audit",
    tags: ["archive"],
    auth: ["compliance", "admin"],
    description:
      "按真实性/完整性/可用性/安全性逐项检测整个归档（DA/T 70-2018），每项计数并定位每个失败。The whole archive checked per DA/T 70-2018 property, with counts and every failure located.",
    responses: { 200: { description: "检测报告 Audit report", schema: AuditReport } },
    errors: ["FORBIDDEN"],
  }),
  async (c) => c.json(await auditArchive(c.var.gateway, c.var.principal)),
);
