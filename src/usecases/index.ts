/**
 * The gateway's use cases: what src/http, src/cli and src/runtime call. Each group's index.ts is its
 * public surface; outer layers import from here (or a group's index), never a file inside a group.
 */
export * from "./archive/index.ts";
export * from "./cases/index.ts";
export * from "./delivery/index.ts";
export * from "./evidence/index.ts";
export * from "./oversight/index.ts";
export * from "./print/index.ts";
export * from "./vouchers/index.ts";
export { shanghaiTimestamp } from "./canonical.ts";
export { DEFAULT_RETRY, type GatewayDeps, type RetryPolicy } from "./deps.ts";
export { GatewayError, type GatewayErrorCode } from "./errors.ts";
export type * from "./ports.ts";
