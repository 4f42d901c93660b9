import { contactLetter, example, type TestApp } from "../../app-harness.ts";

export interface Browserless {
  cookie: string;
  /** GET a console page with the session cookie; answers status and HTML. */
  get(path: string): Promise<{ status: number; html: string; res: Response }>;
  /** POST a console form with the cookie, this host's Origin and the page's CSRF token (unless overridden). */
  post(path: string, fields: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
  /** POST a multipart console form (text fields and files) with the cookie, Origin and CSRF token. */
  upload(path: string, fields: Record<string, string | File>, headers?: Record<string, string>): Promise<Response>;
  csrf: string;
}

/** Sign in through the login form as an agency; read the CSRF token off the inbox page. */
export async function signIn(t: TestApp, agencyId: string): Promise<Browserless> {
  const res = await t.app.request("/console/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" },
    body: new URLSearchParams({ token: t.gw.tokens[agencyId]! }).toString(),
  });
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const get = async (path: string) => {
    const r = await t.app.request(path, { headers: { cookie } });
    return { status: r.status, html: await r.text(), res: r };
  };
  const home = await get("/console");
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home.html)![1]!;
  return {
    cookie,
    csrf,
    get,
    post: async (path, fields, headers = {}) =>
      t.app.request(path, {
        method: "POST",
        // A header given as "" is left out (a request without Origin, say).
        headers: Object.fromEntries(
          Object.entries({
            "content-type": "application/x-www-form-urlencoded",
            origin: "http://localhost",
            cookie,
            ...headers,
          }).filter(([, value]) => value !== ""),
        ),
        body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      }),
    upload: async (path, fields, headers = {}) => {
      const form = new FormData();
      for (const [name, value] of Object.entries({ _csrf: csrf, ...fields })) form.append(name, value);
      return t.app.request(path, {
        method: "POST",
        headers: { origin: "http://localhost", cookie, ...headers },
        body: form,
      });
    },
  };
}

/** 浙江 330000 registers a case with 广东 440000 and sends the contact letter; 广东's inbox then holds it. */
export async function openCaseWithLetter(t: TestApp, caseId: string, options: { priority?: string } = {}) {
  const zj = t.gw.tokens["330000"]!;
  const registered = await t.call("POST", "/v1/cases", {
    token: zj,
    body: {
      caseId,
      transferOutAgency: "440000",
      person: { name: "陈志强", idNumber: "33010619760815123X" },
      ...(options.priority ? { priority: { reasonCode: options.priority } } : {}),
    },
  });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${await registered.text()}`);
  const letter = contactLetter(t.gw, { caseId });
  const sent = await t.call("POST", `/v1/cases/${caseId}/documents`, {
    token: zj,
    body: { type: "contact-letter", body: letter.body, id: `${caseId}-LX` },
  });
  if (sent.status !== 201) throw new Error(`letter: ${sent.status} ${await sent.text()}`);
  await t.gw.dispatcher.runOnce();
}

export { example };

/** Run `send` while every peer refuses for good (422): what it queues ends `failed` once dispatched. */
export async function withRefusingPeer(t: TestApp, send: () => Promise<void>): Promise<void> {
  const real = t.gw.deps.transport;
  t.gw.deps.transport = {
    deliver: async () => ({ kind: "rejected", status: 422, code: "DOCUMENT_INVALID", message: "refused in the test" }),
  };
  try {
    await send();
    await t.gw.dispatcher.runOnce();
  } finally {
    t.gw.deps.transport = real;
  }
}

/** 广东 440000 sends a document of the case through the API (201 or throw). */
export async function sendAsGuangdong(t: TestApp, caseId: string, type: string, id: string, extra: object = {}) {
  const res = await t.call("POST", `/v1/cases/${caseId}/documents`, {
    token: t.gw.tokens["440000"],
    body: { type, body: { ...example(type).body, ...extra }, id },
  });
  if (res.status !== 201) throw new Error(`${type}: ${res.status} ${await res.text()}`);
}
