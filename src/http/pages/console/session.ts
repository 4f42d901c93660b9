import type { Context } from "hono";
import { bytesEqual } from "../../../domain/bytes.ts";
import type { HonoEnv } from "../../env.ts";

/**
 * The console's session (issue 13 item 4), stateless so Workers run it too: the cookie carries the token's
 * hash, an expiry and an HMAC-SHA256 over both under the app's session secret. Nothing is stored server-side;
 * every request re-resolves the principal from the token hash, so revoking the token ends the session.
 */
export const SESSION_COOKIE = "jiexu_console";
export const SESSION_SECONDS = 8 * 3600;

export interface Session {
  tokenHash: string;
  /** Unix seconds. */
  expiresAt: number;
  /** The cookie's MAC (base64url): CSRF tokens are derived from it, so each session has its own. */
  mac: string;
}

const keys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", secret as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
}

async function hmac(secret: Uint8Array, text: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(text));
  return base64url(new Uint8Array(mac));
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** Compare two strings in time that depends on their length only (MACs and CSRF tokens). */
export function sameText(a: string, b: string): boolean {
  return bytesEqual(utf8.encode(a), utf8.encode(b));
}

const utf8 = new TextEncoder();

/** The cookie value for a freshly signed-in token: `<tokenHash>.<expiry>.<mac>`. */
export async function sealSession(secret: Uint8Array, tokenHash: string, now: Date): Promise<string> {
  const expiresAt = Math.floor(now.getTime() / 1000) + SESSION_SECONDS;
  return `${tokenHash}.${expiresAt}.${await hmac(secret, `${tokenHash}|${expiresAt}`)}`;
}

/** The session a cookie value proves, or undefined when malformed, forged or expired. */
export async function openSession(secret: Uint8Array, value: string | undefined, now: Date) {
  const match = /^([0-9a-f]{64})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value ?? "");
  if (!match) return undefined;
  const [, tokenHash, expiry, mac] = match as unknown as [string, string, string, string];
  const expected = await hmac(secret, `${tokenHash}|${expiry}`);
  if (!sameText(mac, expected)) return undefined;
  const expiresAt = Number(expiry);
  if (expiresAt * 1000 <= now.getTime()) return undefined;
  return { tokenHash, expiresAt, mac } satisfies Session;
}

/** The CSRF token of a session: HMAC(secret, "csrf" | session MAC); every console form carries it. */
export function csrfToken(secret: Uint8Array, session: Session): Promise<string> {
  return hmac(secret, `csrf|${session.mac}`);
}

/** Whether the request came over TLS (directly, or as a proxy in front says). */
export function isHttps(c: Context<HonoEnv>): boolean {
  const forwarded = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return forwarded === "https" || new URL(c.req.url).protocol === "https:";
}

/** Set-Cookie for a session (or an empty, expired one to sign out). */
export function sessionCookie(c: Context<HonoEnv>, value: string, maxAge = SESSION_SECONDS): string {
  const secure = isHttps(c) ? "; Secure" : "";
  return `${SESSION_COOKIE}=${value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
}

/** The session cookie's value as sent by the browser. */
export function sessionCookieValue(c: Context<HonoEnv>): string | undefined {
  for (const part of (c.req.header("cookie") ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) return rest.join("=");
  }
  return undefined;
}

/**
 * Same-origin check of a form POST. A browser's Sec-Fetch-Site must say `same-origin`; without it, the Origin
 * header (or, without one, the Referer) must name this host. None present (old clients, privacy tools) passes:
 * the CSRF token still has to match. Console pages send `Referrer-Policy: same-origin`, under which Chromium
 * sends the real Origin on their forms (under the site's `no-referrer` it sends `Origin: null`).
 */
export function sameOrigin(c: Context<HonoEnv>): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined) return site === "same-origin";
  const claimed = c.req.header("origin") ?? c.req.header("referer");
  if (claimed === undefined) return true;
  try {
    return new URL(claimed).host === new URL(c.req.url).host;
  } catch {
    return false; // "null" (sandboxed frames, some redirects) or garbage
  }
}
