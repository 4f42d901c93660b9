import { readAnswer, waitFor } from "../../../src/cli/demo/api.ts";
import Database from "better-sqlite3";
import { request } from "node:http";

/** A JSON answer: the status and the parsed body (or the raw text when it is not JSON). */
export interface Answer<T = any> {
  status: number;
  body: T;
  text: string;
}

const answer = (res: Response): Promise<Answer> => readAnswer(res) as Promise<Answer>;

/** Calls to the agency API with one bearer token (or none). */
export function client(baseUrl: string, token?: string) {
  const headers = (extra: Record<string, string> = {}) => ({
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...extra,
  });
  return {
    get: async (path: string) =>
      answer(await fetch(baseUrl + path, { headers: headers(), signal: AbortSignal.timeout(10_000) })),
    post: async (path: string, body: unknown = {}) =>
      answer(
        await fetch(baseUrl + path, {
          method: "POST",
          headers: headers({ "content-type": "application/json" }),
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        }),
      ),
  };
}

/** POST raw bytes to the receiving endpoint, as a peer gateway does (no bearer token). */
export async function exchange(baseUrl: string, bytes: Uint8Array | string): Promise<Answer> {
  const body = typeof bytes === "string" ? bytes : new Uint8Array(bytes);
  return answer(
    await fetch(`${baseUrl}/v1/exchange`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(15_000),
    }),
  );
}

/**
 * POST to the receiving endpoint on a connection of its own (no keep-alive reuse): for bodies the
 * server refuses before reading them whole (413), after which it may drop the connection.
 */
export function exchangeOnce(baseUrl: string, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      `${baseUrl}/v1/exchange`,
      { method: "POST", agent: false, headers: { "content-type": "application/json" }, timeout: 15_000 },
      (res) => {
        answered = true;
        let text = "";
        res
          .setEncoding("utf8")
          .on("data", (c: string) => void (text += c))
          .on("end", () => {
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, text });
          });
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    // The server may answer and close before the whole body is written: the answer still counts.
    req.on("error", (err) =>
      ["EPIPE", "ECONNRESET"].includes((err as NodeJS.ErrnoException).code ?? "") ? undefined : reject(err),
    );
    req.on("close", () => answered || reject(new Error("the connection closed without an answer")));
    req.end(body);
  });
}

/** Poll `probe` every `intervalMs` until it returns a value (not undefined) or `timeoutMs` passes (the demo's poller). */
export function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
  intervalMs = 100,
): Promise<T> {
  return waitFor(probe, what, timeoutMs, intervalMs);
}

/** Row counts of the tables a state change writes, read from the gateway's SQLite file (read-only). */
export function rowCounts(databasePath: string): {
  documents: number;
  cases: number;
  events: number;
  deliveries: number;
} {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      documents: count("documents"),
      cases: count("cases"),
      events: count("case_events"),
      deliveries: count("deliveries"),
    };
  } finally {
    db.close();
  }
}

/** Audit events of one kind (security events are written on purpose, even for refusals). */
export function auditCount(databasePath: string, kind: string): number {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM audit_events WHERE kind = ?").get(kind) as { n: number }).n;
  } finally {
    db.close();
  }
}
