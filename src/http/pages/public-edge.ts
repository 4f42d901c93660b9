import type { Context } from "hono";
import { bodyLimit, readBodyWithin, type BodyClass } from "../body.ts";
import type { HonoEnv } from "../env.ts";

/**
 * What the pages (issue 13: /track, /verify and the console's forms) need from the edge: who is asking (the
 * rate-limit key), form bodies read under the route class's limit, and instants in the agencies' wall time.
 */

/** What @hono/node-server passes as `c.env`: Node's request, whose socket knows the peer address. */
interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * The client's address, or "unknown" when the runtime does not tell (app.request in tests, a Worker): those
 * callers then share one bucket, which errs on the side of limiting. X-Forwarded-For is not trusted — the
 * gateway does not know whether a proxy stands in front of it.
 */
export function clientAddress(c: Context<HonoEnv>): string {
  const address = (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
  return typeof address === "string" && address !== "" ? address : "unknown";
}

/** An application/x-www-form-urlencoded body (the tracking forms), under the `request` class limit. */
export async function readUrlEncoded(c: Context<HonoEnv>): Promise<URLSearchParams> {
  const bytes = await readBodyWithin(c, bodyLimit(c, "request"));
  return new URLSearchParams(new TextDecoder().decode(bytes));
}

/**
 * A form body (multipart/form-data, or urlencoded) under the route class's limit, parsed from the read bytes:
 * the verify upload, the console's forms. Throws BODY_TOO_LARGE past the limit and a TypeError when the body
 * is not the form its content type (or, without one, `defaultType`) says.
 */
export async function readFormData(c: Context<HonoEnv>, kind: BodyClass, defaultType = ""): Promise<FormData> {
  const bytes = await readBodyWithin(c, bodyLimit(c, kind));
  const type = c.req.header("content-type") ?? defaultType;
  return new Response(bytes as BodyInit, { headers: { "content-type": type } }).formData();
}

/** An ISO instant as Asia/Shanghai wall time, `2026-12-01 14:20` (the agencies' time; no clock read). */
export function shanghaiTime(iso: string | undefined): string {
  if (!iso) return "";
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return new Date(t.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
}
