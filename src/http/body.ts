import type { Context } from "hono";
import { concatBytes } from "../domain/bytes.ts";
import type { HonoEnv } from "./env.ts";
import { EdgeError } from "./errors.ts";

/**
 * Every request body is read here, under the limit of its route class (issue 9 item 5):
 * - `document`: one sealed or to-be-sealed document (/v1/exchange, document submission);
 * - `upload`: checks over uploaded documents (/v1/verify, /v1/documents/validate, /v1/assessments) and
 *   registrations (/v1/cases: the voucher may come as its printed PDF);
 * - `request`: everything else (acknowledgements, checkpoints offered for witnessing).
 * The limits are the gateway's (runtime config), read from the deps of the app serving the request.
 */
export type BodyClass = "document" | "upload" | "request";

export function bodyLimit(c: Context<HonoEnv>, kind: BodyClass): number {
  // c.get rather than c.var: Hono builds a fresh object of all variables on every c.var.
  const limits = c.get("gateway").limits;
  return kind === "document"
    ? limits.maxDocumentBytes
    : kind === "upload"
      ? limits.maxUploadBytes
      : limits.maxRequestBytes;
}

/**
 * What a runtime may pass as `app.fetch`'s second argument: @hono/node-server passes Node's response as
 * `outgoing`. The Node root holds `100 Continue` back ('checkContinue'), so it is sent here, only once
 * the declared length is known to fit; an oversize body is refused with 413 before the client sends it.
 */
interface ContinueBindings {
  outgoing?: { writeContinue?: () => void };
}

/**
 * The body as bytes, refused with 413 beyond `maxSize` (what hono/body-limit does, without its cost):
 * a declared Content-Length is checked before anything is read, and then the body is read in one go
 * (@hono/node-server reads it straight from the socket, and Node's parser stops at the declared
 * length); a chunked body is counted while it streams in and refused as soon as it passes the limit.
 */
export async function readBodyWithin(c: Context<HonoEnv>, maxSize: number): Promise<Uint8Array> {
  const raw = c.req.raw;
  const declared = declaredLength(raw.headers.get("content-length"), raw.headers.has("transfer-encoding"));
  if (declared !== undefined && declared > maxSize) refuseTooLarge(maxSize);
  if (raw.headers.get("expect")?.toLowerCase() === "100-continue")
    (c.env as ContinueBindings | undefined)?.outgoing?.writeContinue?.();
  if (declared !== undefined) return new Uint8Array(await raw.arrayBuffer());
  if (!raw.body) return new Uint8Array(0);
  return (await readStreamWithin(raw.body, maxSize)) ?? refuseTooLarge(maxSize);
}

/**
 * A stream's bytes, or undefined (the stream cancelled) as soon as they pass `maxBytes`: counted while
 * they stream in. The one bounded reader of request bodies (above) and of peers' answers (src/runtime/http-outcome.ts).
 */
export async function readStreamWithin(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array | undefined> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : concatBytes(chunks);
}

/** Content-Length when it is the framing (no Transfer-Encoding) and a plain non-negative integer. */
export function declaredLength(length: string | null | undefined, chunked: boolean): number | undefined {
  if (length == null || chunked || !/^\d{1,15}$/.test(length.trim())) return undefined;
  return Number(length.trim());
}

export function refuseTooLarge(maxSize: number): never {
  throw new EdgeError("BODY_TOO_LARGE", `the body exceeds this route's limit of ${maxSize} bytes`);
}
