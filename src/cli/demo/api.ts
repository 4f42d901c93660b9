/**
 * The public agency API, as an agency's own system calls it: JSON over HTTP with a bearer token.
 * Every request and every wait is bounded.
 */

export interface Answer<T = any> {
  status: number;
  body: T;
  text: string;
}

export interface Api {
  url: string;
  get<T = any>(path: string): Promise<Answer<T>>;
  post<T = any>(path: string, body?: unknown): Promise<Answer<T>>;
}

/** A response as status, JSON body (or the text when it is not JSON) and text. */
export async function readAnswer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body, text };
}

export function api(url: string, token?: string, timeoutMs = 10_000): Api {
  const headers = (json: boolean) => ({
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(json ? { "content-type": "application/json" } : {}),
  });
  const call = async (path: string, init: RequestInit): Promise<Answer> =>
    readAnswer(await fetch(url + path, { ...init, signal: AbortSignal.timeout(timeoutMs) }));
  return {
    url,
    get: (path) => call(path, { headers: headers(false) }),
    post: (path, body = {}) => call(path, { method: "POST", headers: headers(true), body: JSON.stringify(body) }),
  };
}

/** Call `probe` every `intervalMs` until it returns something other than undefined; fail after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message ?? String(last)})` : ""}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Throw unless the answer has the expected status; the message carries the coded error. */
export function expectStatus<T>(answer: Answer<T>, status: number, what: string): T {
  if (answer.status !== status) throw new Error(`${what}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`);
  return answer.body;
}
