import { readStreamWithin } from "../http/body.ts";
import { describeError } from "../http/errors.ts";
import type { TransportOutcome } from "../usecases/index.ts";

/**
 * How an HTTP exchange with a peer gateway maps onto a `TransportOutcome` (used by http-transport.ts), and
 * how a hosted recipient's refusal does (`outcomeOfRefusal`, the local delivery of compose.ts).
 *
 * | what happened                                          | outcome                          |
 * |--------------------------------------------------------|----------------------------------|
 * | 2xx                                                    | receipt (the body bytes)         |
 * | any other status                                       | rejected {status, code, message} |
 * | refused, DNS, unreachable host, TLS, connect timeout   | unreachable (nothing was sent)   |
 * | our timeout, reset or close before/during the answer   | uncertain (it may have arrived)  |
 *
 * Messages of `unreachable` and `uncertain` start with a code (`TIMEOUT`, `ECONNREFUSED`,
 * `UND_ERR_SOCKET`, …) so the outbox's `lastError` stays greppable.
 *
 * The code of a rejection is the peer's coded error body (`{code, message}`, or `{error:{…}}`)
 * when it has one, otherwise `HTTP_<status>`. Whether it is worth retrying is the dispatcher's call
 * (408, 425, 429, 5xx).
 */

/** The abort reason of our own request timeout. */
export class TimeoutAbort extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
    this.name = "TimeoutAbort";
  }
}

/** A response body larger than the transport reads. */
export class ResponseTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the peer's answer exceeds ${maxBytes} bytes`);
    this.name = "ResponseTooLarge";
  }
}

/** Error codes raised before any byte of the request can have reached the peer. */
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_NONAME",
  "EAI_FAIL",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_INVALID_URL",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);
const TLS_CODE = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_SSL_|ERR_TLS_)/;

const CODE_SHAPE = /^[A-Z][A-Z0-9_]{0,63}$/;
const MAX_MESSAGE = 500;

export function outcomeOfResponse(status: number, body: Uint8Array): TransportOutcome {
  if (status >= 200 && status < 300) return { kind: "receipt", body };
  const coded = codedBody(body);
  return {
    kind: "rejected",
    status,
    code: coded?.code ?? `HTTP_${status}`,
    message: coded?.message ?? `the peer answered HTTP ${status}`,
  };
}

/**
 * The outcome of a hosted-to-hosted delivery that the receiving pipeline refused with `err`: the status and
 * code the HTTP edge answers for the same error (src/http/errors.ts), so a local recipient's refusal is
 * recorded as a remote one's would be (the dispatcher decides retries by status and code alike).
 */
export function outcomeOfRefusal(err: unknown): TransportOutcome {
  const { status, body } = describeError(err, "local");
  // The edge hides an uncoded error's message from callers; the outbox's lastError is for operators.
  const message = body.code === "INTERNAL" ? String((err as Error | undefined)?.message ?? err) : body.message;
  return { kind: "rejected", status, code: body.code, message };
}

export function outcomeOfError(err: unknown, phase: "request" | "response", abortReason: unknown): TransportOutcome {
  if (abortReason instanceof TimeoutAbort) return { kind: "uncertain", message: `TIMEOUT: ${abortReason.message}` };
  if (err instanceof ResponseTooLarge)
    return { kind: "rejected", status: 502, code: "RESPONSE_TOO_LARGE", message: err.message };
  const codes = errorCodes(err);
  const code = codes[0] ?? "UNKNOWN";
  const detail = `${code}: ${describe(err)}`;
  if (phase === "request" && codes.some((c) => NOT_SENT.has(c) || TLS_CODE.test(c)))
    return { kind: "unreachable", message: detail };
  return {
    kind: "uncertain",
    message: `${detail} (${phase === "response" ? "answer interrupted" : "connection lost"})`,
  };
}

/** Read at most `maxBytes` of the body; throws ResponseTooLarge beyond that. */
export async function readLimited(res: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get("content-length") ?? "NaN");
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new ResponseTooLarge(maxBytes);
  }
  if (!res.body) return new Uint8Array(0);
  const body = await readStreamWithin(res.body, maxBytes);
  if (!body) throw new ResponseTooLarge(maxBytes);
  return body;
}

function codedBody(body: Uint8Array): { code: string; message?: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
  const top = parsed as { code?: unknown; message?: unknown; error?: { code?: unknown; message?: unknown } } | null;
  const candidate =
    typeof top?.code === "string" ? top : top?.error && typeof top.error === "object" ? top.error : undefined;
  if (typeof candidate?.code !== "string" || !CODE_SHAPE.test(candidate.code)) return undefined;
  const message = typeof candidate.message === "string" ? candidate.message.slice(0, MAX_MESSAGE) : undefined;
  return { code: candidate.code, ...(message === undefined ? {} : { message }) };
}

/** Node/undici codes on the error, its cause chain and aggregated causes (happy eyeballs), outermost first. */
function errorCodes(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== "object" || depth > 4) return [];
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof e.code === "string" ? [e.code] : [];
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => errorCodes(x, depth + 1)) : [];
  return [...own, ...errorCodes(e.cause, depth + 1), ...nested];
}

function describe(err: unknown): string {
  const e = err as { message?: unknown; cause?: { message?: unknown } } | undefined;
  const outer = typeof e?.message === "string" ? e.message : String(err);
  const inner = typeof e?.cause?.message === "string" && e.cause.message !== outer ? ` (${e.cause.message})` : "";
  return `${outer}${inner}`.slice(0, MAX_MESSAGE);
}
