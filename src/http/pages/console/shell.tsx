import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { Principal } from "../../../usecases/index.ts";
import type { BodyClass } from "../../body.ts";
import type { HonoEnv } from "../../env.ts";
import { EdgeError, describeError } from "../../errors.ts";
import { Page, href, langOf, renderPage, tr, type Lang, type PageStatus } from "../layout.tsx";
import { readFormData } from "../public-edge.ts";
import { ERROR_WORDS, nameOf } from "./labels.ts";
import { csrfToken, openSession, sameOrigin, sameText, sessionCookieValue, type Session } from "./session.ts";

/** A signed-in console request: who, in which language, and the CSRF token its forms carry. */
export interface Signed {
  principal: Principal & { agencyId: string };
  agencyName: string;
  lang: Lang;
  csrf: string;
  session: Session;
  /** An agency's name and code when this gateway hosts it, its code otherwise. */
  agencyLabel(agencyId: string): string;
  /** An agency's name when this gateway hosts it, its code otherwise (documents name agencies so). */
  agencyNameOf(agencyId: string): string;
  /** The agencies this gateway hosts (the register form offers them as transfer-out agencies). */
  hostedIds: string[];
}

/** Answer a console page with the shared page headers (layout.tsx). */
export function answerPage(c: Context<HonoEnv>, page: Child, status: PageStatus = 200, code?: string) {
  return renderPage(c, page, status, code);
}

/** A 303 to another console page (after a form: the browser GETs it, so reloading never re-posts). */
export function seeOther(c: Context<HonoEnv>, path: string) {
  c.header("cache-control", "no-store");
  return c.redirect(path, 303);
}

/**
 * The signed-in agency of this request, or undefined (the caller answers with the sign-in page). The token is
 * resolved anew on every request: a revoked token, or one that is no longer an agency's, ends the session.
 */
export async function signedIn(c: Context<HonoEnv>): Promise<Signed | undefined> {
  const secret = c.get("sessionSecret");
  const session = await openSession(secret, sessionCookieValue(c), new Date());
  if (!session) return undefined;
  const principal = await c.get("gateway").store.principalByTokenHash(session.tokenHash);
  if (principal?.role !== "agency" || !principal.agencyId) return undefined;
  c.set("principal", principal);
  const agencies = c.get("gateway").agencies;
  const agencyNameOf = (id: string) => agencies.hosted(id)?.name ?? id;
  const agencyLabel = (id: string) => {
    const name = agencies.hosted(id)?.name;
    return name ? `${name} (${id})` : id;
  };
  const agencyName = agencyNameOf(principal.agencyId);
  const csrf = await csrfToken(secret, session);
  const hostedIds = agencies.hostedIds();
  const lang = langOf(c);
  const who = { agencyName, agencyLabel, agencyNameOf, hostedIds };
  return { principal: principal as Signed["principal"], lang, session, csrf, ...who };
}

/** A console form POST: signed in, same origin, and carrying this session's CSRF token. */
export type FormCheck =
  | { ok: true; signed: Signed; form: FormData }
  | { ok: false; reason: "signed-out" | "forbidden" };

export async function signedForm(c: Context<HonoEnv>, kind: BodyClass = "request"): Promise<FormCheck> {
  const signed = await signedIn(c);
  if (!signed) return { ok: false, reason: "signed-out" };
  if (!sameOrigin(c)) return { ok: false, reason: "forbidden" };
  const form = await readForm(c, kind);
  const token = form.get("_csrf");
  if (typeof token !== "string" || !sameText(token, signed.csrf)) return { ok: false, reason: "forbidden" };
  return { ok: true, signed, form };
}

/** The form fields of a urlencoded or multipart body, read under the route class's size limit (none when garbled). */
export async function readForm(c: Context<HonoEnv>, kind: BodyClass = "request"): Promise<FormData> {
  try {
    return await readFormData(c, kind, "application/x-www-form-urlencoded");
  } catch (error) {
    if (error instanceof EdgeError) throw error; // BODY_TOO_LARGE
    return new FormData();
  }
}

/** A 303 to the sign-in page, in the reader's language (a console page without a session). */
export function toLogin(c: Context<HonoEnv>) {
  return seeOther(c, href(langOf(c), "/console/login"));
}

/** What a refused form POST answers: the sign-in page for a lost session, 403 for a cross-site request. */
export function refuseForm(c: Context<HonoEnv>, reason: "signed-out" | "forbidden") {
  const lang = langOf(c);
  if (reason === "signed-out") return toLogin(c);
  const title = tr(lang, "请求被拒绝", "Request refused");
  const page = (
    <Page lang={lang} title={title} self="/console" nav={<nav aria-label="console" />}>
      <p class="verdict bad" role="alert">
        {tr(
          lang,
          "这个表单不是从本控制台提交的（来源或校验码不符），未做任何更改。请回到页面重新操作。",
          "This form did not come from this console (origin or form token mismatch); nothing was changed.",
        )}
      </p>
      <p>
        <a href={href(lang, "/console")}>{tr(lang, "返回收件箱", "Back to the inbox")}</a>
      </p>
    </Page>
  );
  return answerPage(c, page, 403);
}

/** The hidden CSRF field every console form carries. */
export function CsrfField({ signed }: { signed: Signed }) {
  return <input type="hidden" name="_csrf" value={signed.csrf} />;
}

/** The console's own navigation, sign-out included (a POST: signing out is a change). */
export function ConsoleNav({ signed }: { signed: Signed }) {
  const { lang } = signed;
  return (
    <nav aria-label={tr(lang, "控制台", "Console")}>
      <a href={href(lang, "/console")}>{tr(lang, "收件箱", "Inbox")}</a>
      <a href={href(lang, "/console/cases")}>{tr(lang, "案件", "Cases")}</a>
      <a href={href(lang, "/console/deliveries")}>{tr(lang, "投递", "Deliveries")}</a>
      <a href={href(lang, "/console/directory")}>{tr(lang, "目录与证书", "Directory")}</a>
      <a href={href(lang, "/console/new")}>{tr(lang, "新建", "New")}</a>
      <form method="post" action={href(lang, "/console/logout")} class="console-logout">
        <CsrfField signed={signed} />
        <button type="submit">{tr(lang, "退出", "Sign out")}</button>
      </form>
    </nav>
  );
}

/** A console page: the shared shell with the console's navigation and the signed-in agency named. */
export function ConsolePage(props: { signed: Signed; title: string; self: string; children?: Child }) {
  const { signed } = props;
  return (
    <Page lang={signed.lang} title={props.title} self={props.self} nav={<ConsoleNav signed={signed} />}>
      <p class="hint console-who">
        {tr(signed.lang, "当前机构：", "Signed in as: ")}
        {signed.agencyName} ({signed.principal.agencyId})
      </p>
      {props.children}
    </Page>
  );
}

/** A refusal in plain words, with the API's code and every problem (JSON pointer and message) listed. */
export function ErrorBox({ lang, error }: { lang: Lang; error: unknown }) {
  const { body } = describeError(error, "console");
  const problems = (body.problems ?? []) as { path?: string; message?: string }[];
  const words = ERROR_WORDS[body.code] ? nameOf(ERROR_WORDS, body.code, lang) : body.message;
  return (
    <div class="verdict bad console-box" role="alert">
      <p class="console-error-words">
        {words} <span class="mono">({body.code})</span>
      </p>
      {ERROR_WORDS[body.code] ? <p class="hint">{body.message}</p> : null}
      {problems.length ? (
        <ul class="console-problems">
          {problems.map((p) => (
            <li>
              <span class="mono">{p.path || "/"}</span> {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** SHA-256 of the submitted token (the store keeps only the hash). */

/** Whether a thrown error is a coded refusal a form shows (anything else is a real failure and rethrown). */
/** The coded error a refusal answers with, for the access log line. */
export function refusalCode(error: unknown): string {
  return describeError(error, "console").body.code;
}

export function isRefusal(error: unknown): boolean {
  const { status } = describeError(error, "console");
  return status >= 400 && status < 500;
}

/** A console table: one header row of column names, scrolling sideways inside its box on a phone. */
export function WideTable({ heads, children }: { heads: string[]; children?: Child }) {
  return (
    <div class="scroll">
      <table class="console-wide">
        <thead>
          <tr>
            {heads.map((head) => (
              <th scope="col">{head}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
