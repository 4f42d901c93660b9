import { readFileSync } from "node:fs";
import { createApp } from "../../src/http/app.ts";
import { createMetricsRegistry, type MetricsRegistry } from "../../src/http/metrics.ts";
import { canonicalBytes, sealedDocumentBytes, shanghaiTimestamp } from "../../src/usecases/canonical.ts";
import type { GatewayMaterials } from "../../src/runtime/compose.ts";
import type { Logger } from "../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../support/gateway-harness.ts";

export interface LogLine {
  level: "info" | "warn" | "error";
  event: string;
  fields: Record<string, unknown>;
}

export interface TestApp {
  gw: TestGateway;
  app: ReturnType<typeof createApp>;
  metrics: MetricsRegistry;
  logs: LogLine[];
  /** `app.request` with a bearer token and a JSON body. */
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; raw?: string | Uint8Array; headers?: Record<string, string> },
  ): Promise<Response>;
  /** A document sealed by a hosted agency's own seal key, as `/v1/exchange` bytes. */
  sealed(document: Record<string, unknown>, sealer?: string): Uint8Array;
}

export const example = (type: string) =>
  JSON.parse(readFileSync(new URL(`../../schemas/examples/${type}.json`, import.meta.url), "utf8"));

/** Body limits per route class; left out, the gateway's defaults. */
export interface BodyLimits {
  maxDocumentBytes?: number;
  maxUploadBytes?: number;
  maxRequestBytes?: number;
}

/** A real gateway (in-memory SQLite, dev PKI) behind `createApp`, with a recording logger. */
export async function createTestApp(
  options: BodyLimits & { publicUrl?: string; materials?: Partial<GatewayMaterials> } = {},
): Promise<TestApp> {
  const { publicUrl, materials, ...limits } = options;
  const metrics = createMetricsRegistry();
  const logs: LogLine[] = [];
  const logger: Logger = {
    info: (event, fields = {}) => void logs.push({ level: "info", event, fields }),
    warn: (event, fields = {}) => void logs.push({ level: "warn", event, fields }),
    error: (event, fields = {}) => void logs.push({ level: "error", event, fields }),
  };
  // One recording logger for the app and the use cases, as the runtimes wire them.
  const gw = await createTestGateway({ metrics, materials: { ...materials, ...limits }, logger });
  let n = 0;
  const app = createApp({
    gateway: gw.deps,
    metrics,
    logger,
    requestId: () => `req-${++n}`,
    info: { version: "test", hostedAgencies: gw.deps.agencies.hostedIds(), ...(publicUrl ? { publicUrl } : {}) },
  });
  return {
    gw,
    app,
    metrics,
    logs,
    call: async (method, path, o = {}) =>
      app.request(path, {
        method,
        headers: {
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...(o.body !== undefined || o.raw !== undefined ? { "content-type": "application/json" } : {}),
          ...o.headers,
        },
        ...(o.raw !== undefined
          ? { body: o.raw as BodyInit }
          : o.body !== undefined
            ? { body: JSON.stringify(o.body) }
            : {}),
      }),
    sealed: (document, sealer) => {
      const canonical = canonicalBytes(document);
      const key = gw.deps.agencies.hosted(sealer ?? String(document.from))!.sealKey;
      return sealedDocumentBytes(canonical, key.seal(canonical, gw.clock.now()));
    },
  };
}

/** A contact letter from 浙江 330000 to 广东 440000 issued now, ready to seal. */
export function contactLetter(gw: TestGateway, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...example("contact-letter"), issuedAt: shanghaiTimestamp(gw.clock.now()), ...overrides };
}
