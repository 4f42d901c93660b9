import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { HonoEnv } from "../env.ts";
import { SITE_CSS } from "./site-css.ts";

/**
 * The shell every page shares (issue 13 item 5): zh-CN first with an English switch, plain server-rendered
 * HTML that works at 360 px, one stylesheet served from /assets/site.css, no script needed to read a page.
 */
export type Lang = "zh" | "en";

/** `?lang=en` switches to English; everything else reads Chinese. No cookie: the choice travels in links. */
export function langOf(c: Context<HonoEnv>): Lang {
  return c.req.query("lang") === "en" ? "en" : "zh";
}

/** The text of one language: pages keep both next to each other, so a missing translation shows at a glance. */
export function tr(lang: Lang, zh: string, en: string): string {
  return lang === "en" ? en : zh;
}

/** A same-site link that keeps the reader's language. */
export function href(lang: Lang, path: string): string {
  if (lang === "zh") return path;
  return `${path}${path.includes("?") ? "&" : "?"}lang=en`;
}

export interface PageProps {
  lang: Lang;
  title: string;
  /** The path and query of this page without `lang`, for the language switch. */
  self: string;
  /** Navigation of the section (console or public); the public one by default. */
  nav?: Child;
  children?: Child;
}

export function Page({ lang, title, self, nav, children }: PageProps) {
  const other: Lang = lang === "zh" ? "en" : "zh";
  return (
    <html lang={lang === "zh" ? "zh-CN" : "en"}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${tr(lang, "接续", "Jiexu")}`}</title>
        <link rel="stylesheet" href="/assets/site.css" />
      </head>
      <body>
        <a class="skip" href="#main">
          {tr(lang, "跳到正文", "Skip to content")}
        </a>
        <header class="site">
          <a class="brand" href={href(lang, "/")}>
            {tr(lang, "接续 · 养老保险关系转移", "Jiexu · pension transfers")}
          </a>
          {nav ?? <PublicNav lang={lang} />}
          <a class="lang" href={href(other, self)} hreflang={other === "zh" ? "zh-CN" : "en"}>
            {other === "zh" ? "中文" : "English"}
          </a>
        </header>
        <main id="main">
          <h1>{title}</h1>
          {children}
        </main>
        <footer class="site">
          {tr(
            lang,
            "依据《人力资源社会保障部办公厅关于做好企业职工基本养老保险关系转移接续“跨省通办”工作的通知》提供网上服务。",
            "An online service for cross-province transfers of the basic pension insurance of enterprise employees.",
          )}
        </footer>
      </body>
    </html>
  );
}

function PublicNav({ lang }: { lang: Lang }) {
  return (
    <nav aria-label={tr(lang, "主导航", "Main")}>
      <a href={href(lang, "/track")}>{tr(lang, "查询转移进度", "Track a transfer")}</a>
      <a href={href(lang, "/verify")}>{tr(lang, "核验电子文书", "Verify a document")}</a>
      <a href={href(lang, "/console")}>{tr(lang, "经办机构", "Agencies")}</a>
    </nav>
  );
}

/**
 * Security headers of every page: no inline script or style, no framing, no referrer leaking a case number to
 * another site. `same-origin`, not `no-referrer`: under `no-referrer` Chromium posts forms with `Origin: null`,
 * which a CSRF origin check cannot tell from a sandboxed cross-site frame.
 */
export const PAGE_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "cache-control": "no-store",
};

/** Answer a page: the doctype Hono's `c.html` leaves out, the shared headers, the status. */
export type PageStatus = 200 | 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503;

export function renderPage(c: Context<HonoEnv>, page: Child, status: PageStatus = 200, code?: string) {
  if (code) c.set("errorCode", code);
  for (const [name, value] of Object.entries(PAGE_HEADERS)) c.header(name, value);
  return c.html(`<!DOCTYPE html>${String(page)}`, status);
}

/** One public page's answerer (/track, /verify): its title and path fixed, the body and status per answer. */
export function titledPage(title: readonly [zh: string, en: string], self: string) {
  return (c: Context<HonoEnv>, lang: Lang, body: Child, status: PageStatus = 200, code?: string) =>
    renderPage(
      c,
      <Page lang={lang} title={tr(lang, title[0], title[1])} self={self}>
        {body}
      </Page>,
      status,
      code,
    );
}

export { SITE_CSS };
