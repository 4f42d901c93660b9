import type { Context } from "hono";
import { bodyLimit, readBodyWithin, type BodyClass } from "../body.ts";
import { errorHeaders } from "../edge.ts";
import type { HonoEnv } from "../env.ts";
import { shanghaiTimestamp } from "../../usecases/index.ts";

/**
 * What the pages (issue 13: /track, /verify and the console's forms) need from the edge: who is asking (the
 * rate-limit key), form bodies read under the route class's limit, and instants in the agencies' wall time.
 */

/** What @hono/node-server passes as `c.env`: Node's request, whose socket knows the peer address. */
interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * Who asks, as the rate-limit key: the peer's IPv4 address, or the /64 of an IPv6 one (a host is handed a whole
 * /64, so one address per request would be a fresh bucket each time). "unknown" when the runtime does not tell
 * (app.request in tests, a Worker): those callers then share one bucket, which errs on the side of limiting.
 * X-Forwarded-For is not trusted — the gateway does not know whether a proxy stands in front of it.
 */
export function clientAddress(c: Context<HonoEnv>): string {
  const address = (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
  return typeof address === "string" && address !== "" ? rateKeyOf(address) : "unknown";
}

/** `2001:db8:1:2:…` → `2001:db8:1:2::/64`; `::ffff:192.0.2.1` → `192.0.2.1`; IPv4 unchanged. */
export function rateKeyOf(address: string): string {
  const bare = address.split("%")[0]!.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped) return mapped[1]!;
  if (!bare.includes(":")) return bare;
  const groupsOf = (part: string) => (part ? part.replace(/\d+\.\d+\.\d+\.\d+$/, "0:0").split(":") : []);
  const [head = "", tail] = bare.split("::");
  const h = groupsOf(head);
  const t = tail === undefined ? [] : groupsOf(tail);
  const groups =
    tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill("0"), ...t];
  return `${groups
    .slice(0, 4)
    .map((g) => (Number.parseInt(g, 16) || 0).toString(16))
    .join(":")}::/64`;
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
  return shanghaiTimestamp(t).slice(0, 16).replace("T", " ");
}

/** A refusal shown as a page carries the API's headers (Retry-After on 429 and 503, Connection: close on 413). */
export function setErrorHeaders(c: Context<HonoEnv>, err: unknown, status: number): void {
  for (const [name, value] of Object.entries(errorHeaders(err, status))) c.header(name, value);
}
