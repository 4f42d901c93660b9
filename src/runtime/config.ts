import { z } from "zod";

/**
 * The one validated gateway configuration (issue 4 item 2). Paths are relative to the config file's
 * directory. Loaded from a JSON file and/or JIEXU_* environment variables (env wins).
 */
const keyFiles = z.union([
  z.object({
    key: z.string(),
    cert: z.string(),
    chain: z.array(z.string()).default([]),
    password: z.string().optional(),
  }),
  z.object({ p12: z.string(), password: z.string() }),
]);

export type KeyFiles = z.infer<typeof keyFiles>;

/**
 * The agency's document seal: its key files and, to seal in the national format (GB/T 38540-2020, issue 16;
 * docs/national-seal.md), `sesSeal`: the file (a Worker binding: base64) holding the agency's electronic
 * seal (SESeal DER, made by its seal maker, listing the seal certificate as a holder). The key is then SM2.
 */
const sealFiles = keyFiles.and(z.object({ sesSeal: z.string().min(1).optional() }));

export const AgencyConfig = z.object({
  id: z.string().regex(/^\d{6}(-[A-Z0-9]{1,8})?$/, "agency id: 6-digit division code, optional -SUFFIX"),
  name: z.string().min(1),
  seal: sealFiles,
  receipt: keyFiles,
  webhook: z.object({ url: z.url(), secret: z.string().min(16) }).optional(),
});

/** Body limits per route class (issue 9 item 5); `maxDocumentBytes` (1 MiB) is the document class. */
export const DEFAULT_BODY_LIMITS = { maxUploadBytes: 4 * 1024 * 1024, maxRequestBytes: 64 * 1024 } as const;

/**
 * The HTTP server's own bounds (issue 9 item 5): open connections, and how long a client may take to
 * send its headers and its whole request (a body trickling in is cut at `requestTimeoutMs`).
 */
export const ServerConfig = z
  .object({
    maxConnections: z.number().int().min(1).max(100_000).default(1024),
    headersTimeoutMs: z.number().int().min(100).max(600_000).default(20_000),
    requestTimeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
    keepAliveTimeoutMs: z.number().int().min(100).max(600_000).default(5_000),
    /**
     * Connections accepted per event-loop turn (issue 12 item 4): Node 20 accepts one per turn and
     * listening descriptor, so the server listens on this many descriptors of its one socket
     * (src/runtime/accept-wide.ts); 1 turns that off.
     */
    acceptPerTurn: z.number().int().min(1).max(64).default(8),
  })
  .refine((s) => s.headersTimeoutMs <= s.requestTimeoutMs, "headersTimeoutMs must not exceed requestTimeoutMs");
export type ServerConfig = z.infer<typeof ServerConfig>;

export const GatewayConfig = z.object({
  /** Marks a configuration made by first-run bootstrap: development PKI and tokens, never production. */
  development: z.boolean().default(false),
  dataDir: z.string().default("."),
  database: z.string().default("jiexu.db"),
  host: z.string().default("127.0.0.1"),
  port: z.number().int().min(0).max(65535).default(8787),
  /** The origin people reach this gateway at (https://…): printed QR codes lead there; default each request's origin. */
  publicUrl: z
    .url({ protocol: /^https?$/ })
    .transform((u) => u.replace(/\/+$/, ""))
    .optional(),
  maxDocumentBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  /** /v1/verify, /v1/documents/validate (up to 100 documents), /v1/assessments. */
  maxUploadBytes: z
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(DEFAULT_BODY_LIMITS.maxUploadBytes),
  /** Every other body: acknowledgements, checkpoints offered for witnessing (registrations are uploads). */
  maxRequestBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(DEFAULT_BODY_LIMITS.maxRequestBytes),
  server: ServerConfig.default(ServerConfig.parse({})),
  revocation: z.enum(["required", "optional"]).default("required"),
  trustAnchors: z.array(z.string()).min(1),
  intermediates: z.array(z.string()).default([]),
  crls: z.array(z.string()).default([]),
  agencies: z.array(AgencyConfig).min(1),
  calendar: z.unknown().optional(),
  /** Green channel: internal target in working days, reported beside the legal 15 (never shortens it). */
  priorityTargetWorkingDays: z.number().int().min(1).max(15).default(5),
  /** The signed directory (trust list) of remote agencies: a sealed file or a URL, refreshed on a timer. */
  directory: z
    .object({
      file: z.string().optional(),
      url: z.url().optional(),
      refreshSeconds: z.number().int().min(1).default(300),
    })
    .refine((d) => (d.file === undefined) !== (d.url === undefined), "give exactly one of file or url")
    .optional(),
  dispatchIntervalMs: z.number().int().min(50).default(1000),
  /** Outbox retry schedule; fields left out keep DEFAULT_RETRY (base 2 s, cap 300 s, max age 3 days). */
  retry: z
    .object({
      baseSeconds: z.number().positive().max(3600),
      capSeconds: z.number().positive().max(86_400),
      maxAgeSeconds: z
        .number()
        .int()
        .min(1)
        .max(30 * 86_400),
    })
    .partial()
    .refine(
      (r) => r.baseSeconds === undefined || r.capSeconds === undefined || r.baseSeconds <= r.capSeconds,
      "baseSeconds must not exceed capSeconds",
    )
    .optional(),
  /** Per-peer circuit breaker of the HTTP transport; fields left out keep DEFAULT_BREAKER. */
  breaker: z
    .object({
      failureThreshold: z.number().int().min(1).max(1000),
      cooldownMs: z.number().int().min(50),
      cooldownGrowth: z.number().min(1).max(10),
      maxCooldownMs: z.number().int().min(50),
      probeTimeoutMs: z.number().int().min(100),
    })
    .partial()
    .optional(),
  /**
   * Whole-request timeout of a send to a peer gateway (connect, send, answer), default 15 000 ms
   * (http-transport.ts). Operators rarely change it; the end-to-end tests shorten it so a hung peer's
   * timeouts fire in seconds.
   */
  peerTimeoutMs: z.number().int().min(100).max(120_000).optional(),
  reminderIntervalMs: z.number().int().min(1000).default(60_000),
  /**
   * The e-archive log (issue 6): the Ed25519 checkpoint key (PKCS#8 PEM; created next to the database
   * on first start when not given), the log's origin line, and how often checkpoints are cut and
   * offered to peer gateways for co-signing.
   */
  archive: z
    .object({
      key: z.string().optional(),
      origin: z
        .string()
        .regex(/^[^\s+]+$/, "an origin has no spaces or '+'")
        .optional(),
      checkpointSeconds: z.number().min(0.1).max(3600).default(2),
      witnessSeconds: z.number().min(1).max(86_400).default(60),
    })
    .default({ checkpointSeconds: 2, witnessSeconds: 60 }),
  /**
   * Key of the agency console's signed session cookies (issue 13), 32 bytes as 64 hex digits; better given as
   * JIEXU_CONSOLE_SESSION_SECRET. Left out, each process makes its own: console sessions end at restart.
   */
  consoleSessionSecret: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "64 hex digits (32 bytes)")
    .optional(),
});

export type GatewayConfig = z.infer<typeof GatewayConfig>;
export type AgencyConfig = z.infer<typeof AgencyConfig>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Validate raw JSON (plus env overrides) into a config, or explain every problem at once. */
export function parseConfig(raw: unknown, env: Record<string, string | undefined> = {}): GatewayConfig {
  const merged = { ...(raw as object), ...envOverrides(env) };
  const parsed = GatewayConfig.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  const ids = parsed.data.agencies.map((a) => a.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new ConfigError(`invalid configuration: agency ${dup} is listed twice`);
  return parsed.data;
}

function envOverrides(env: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (env.JIEXU_PORT) out.port = Number(env.JIEXU_PORT);
  if (env.JIEXU_HOST) out.host = env.JIEXU_HOST;
  if (env.JIEXU_DATABASE) out.database = env.JIEXU_DATABASE;
  if (env.JIEXU_REVOCATION) out.revocation = env.JIEXU_REVOCATION;
  if (env.JIEXU_MAX_DOCUMENT_BYTES) out.maxDocumentBytes = Number(env.JIEXU_MAX_DOCUMENT_BYTES);
  if (env.JIEXU_MAX_UPLOAD_BYTES) out.maxUploadBytes = Number(env.JIEXU_MAX_UPLOAD_BYTES);
  if (env.JIEXU_MAX_REQUEST_BYTES) out.maxRequestBytes = Number(env.JIEXU_MAX_REQUEST_BYTES);
  if (env.JIEXU_CONSOLE_SESSION_SECRET) out.consoleSessionSecret = env.JIEXU_CONSOLE_SESSION_SECRET;
  return out;
}
