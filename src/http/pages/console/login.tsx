import { type Context, Hono } from "hono";
import type { HonoEnv } from "../../env.ts";
import { Page, href, langOf, tr, type Lang } from "../layout.tsx";
import { sameOrigin, sealSession, sessionCookie } from "./session.ts";
import { tokenHash } from "../../auth.ts";
import { answerPage, readForm, refuseForm, seeOther, toLogin, signedForm } from "./shell.tsx";

/**
 * Signing in and out of the console (issue 13 item 4). Only agency tokens open a session: the console acts
 * for one agency (acknowledge, retry, submit). Compliance and admin tokens are refused with a plain word and
 * pointed to the API and the verification page, rather than given a read-only console of every agency.
 */
export const consoleLogin = new Hono<HonoEnv>();

type Refusal = "unknown" | "not-agency" | undefined;

function LoginPage({ lang, refusal }: { lang: Lang; refusal: Refusal }) {
  return (
    <Page lang={lang} title={tr(lang, "经办机构登录", "Agency sign-in")} self="/console/login">
      {refusal === "unknown" ? (
        <p class="verdict bad" role="alert">
          {tr(lang, "令牌无效或已撤销。", "The token is not valid or has been revoked.")}
        </p>
      ) : null}
      {refusal === "not-agency" ? (
        <p class="verdict warn" role="alert">
          {tr(
            lang,
            "控制台供经办机构使用。合规与管理员令牌请使用 API（/docs）或核验页面。",
            "The console is for agencies. Compliance and admin tokens use the API (/docs) or the verification page.",
          )}
        </p>
      ) : null}
      <form method="post" action={href(lang, "/console/login")} class="stack card">
        <label for="token">{tr(lang, "令牌", "Token")}</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required />
        <p class="hint">
          {tr(
            lang,
            "本机构接入网关的访问令牌。登录后 8 小时内有效，关闭浏览器或点“退出”即结束。",
            "Your agency's gateway access token. A session lasts 8 hours or until you sign out.",
          )}
        </p>
        <button type="submit">{tr(lang, "登录", "Sign in")}</button>
      </form>
    </Page>
  );
}

consoleLogin.get("/console/login", (c) => answerPage(c, <LoginPage lang={langOf(c)} refusal={undefined} />));

consoleLogin.post("/console/login", async (c) => {
  const lang = langOf(c);
  // No session yet, so no form token: a cross-site sign-in (login CSRF) is stopped by the origin check.
  if (!sameOrigin(c)) return refuseForm(c, "forbidden");
  const token = (await readForm(c)).get("token");
  const checked = await checkToken(c, typeof token === "string" ? token.trim() : "");
  if ("refusal" in checked) {
    const { refusal } = checked;
    return answerPage(c, <LoginPage lang={lang} refusal={refusal} />, refusal === "unknown" ? 401 : 403);
  }
  const value = await sealSession(c.get("sessionSecret"), checked.hash, new Date());
  c.header("set-cookie", sessionCookie(c, value));
  return seeOther(c, href(lang, "/console"));
});

/**
 * The hash of a token that opens a session, or why it opens none; unknown and malformed tokens answer alike
 * (no hint which tokens exist).
 */
async function checkToken(
  c: Context<HonoEnv>,
  token: string,
): Promise<{ hash: string } | { refusal: NonNullable<Refusal> }> {
  if (!/^[\x21-\x7e]{8,512}$/.test(token)) return { refusal: "unknown" };
  const hash = await tokenHash(token);
  const principal = await c.get("gateway").store.principalByTokenHash(hash);
  if (!principal) return { refusal: "unknown" };
  return principal.role === "agency" && principal.agencyId ? { hash } : { refusal: "not-agency" };
}

consoleLogin.post("/console/logout", async (c) => {
  const check = await signedForm(c);
  if (!check.ok && check.reason === "forbidden") return refuseForm(c, "forbidden");
  c.header("set-cookie", sessionCookie(c, "", 0));
  return toLogin(c);
});
