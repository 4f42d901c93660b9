import type { GatewayDeps, Logger, Principal } from "../usecases/index.ts";
import type { MetricsRegistry } from "./metrics.ts";

/** What a running gateway tells /healthz and the OpenAPI `info`. */
export interface AppInfo {
  version: string;
  hostedAgencies: string[];
  /** The gateway's public origin (e.g. https://jiexu.example): printed QR codes lead there; default the request's origin. */
  publicUrl?: string;
}

/** Everything `createApp` needs; built by a composition root (src/runtime). */
export interface AppDeps {
  gateway: GatewayDeps;
  metrics: MetricsRegistry;
  /** The access log and unexpected errors go here (the runtime's logger masks ID numbers too). */
  logger: Logger;
  /** Request ids for requests that bring none; injected so tests can predict them. */
  requestId?: () => string;
  info?: AppInfo;
  /**
   * Key of the console's signed session cookies and CSRF tokens (HMAC-SHA256, 32 bytes). Left out, each app
   * makes its own at random: sessions then end when the process restarts (and do not cross Workers isolates).
   */
  sessionSecret?: Uint8Array;
}

/**
 * Hono's typed context for every router (A3: services live in `c.var`, handlers never build them).
 * `principal` is set by `describeRoute` on routes that declare bearer auth, and only there.
 */
export interface HonoEnv {
  Variables: {
    gateway: GatewayDeps;
    metrics: MetricsRegistry;
    logger: Logger;
    info: AppInfo;
    requestId: string;
    principal: Principal;
    /** The code of the error answered, for the access log line (pages set it when they answer a refusal). */
    errorCode: string;
    /** The console's session key (AppDeps.sessionSecret or the app's random one). */
    sessionSecret: Uint8Array;
    /** The OpenAPI document of the app serving this request, built once on first use. */
    /** The OpenAPI document as JSON text, built and serialised once per app (≈240 KB). */
    openapi: () => string;
  };
}
