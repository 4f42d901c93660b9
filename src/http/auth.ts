import type { Context } from "hono";
import type { Principal, Role } from "../usecases/index.ts";
import type { HonoEnv } from "./env.ts";
import { EdgeError } from "./errors.ts";

/** SHA-256 hex of a bearer token: the store keeps only this (Web Crypto, so Workers run it too). */
export async function tokenHash(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Resolve `Authorization: Bearer <token>` to a principal and check its role. Missing, malformed and
 * unknown tokens all answer UNAUTHENTICATED alike, so the answer does not tell which tokens exist.
 */
export async function authenticate(c: Context<HonoEnv>, roles: readonly Role[]): Promise<Principal> {
  const match = /^Bearer\s+([\x21-\x7e]{8,512})\s*$/i.exec(c.req.header("authorization") ?? "");
  if (!match) throw new EdgeError("UNAUTHENTICATED", "a bearer token is required (Authorization: Bearer …)");
  const principal = await c.var.gateway.store.principalByTokenHash(await tokenHash(match[1]!));
  if (!principal) throw new EdgeError("UNAUTHENTICATED", "the bearer token is not known to this gateway");
  if (!roles.includes(principal.role))
    throw new EdgeError("FORBIDDEN", `this operation requires role ${roles.join(" or ")}`);
  c.set("principal", principal);
  return principal;
}
