import { type Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import { checkIdNumber } from "../../domain/identifiers/index.ts";
import { printTrackedVoucher, RateLimitedError, trackCase, type TrackQuery } from "../../usecases/index.ts";
import type { HonoEnv } from "../env.ts";
import { type Lang, langOf, Page, type PageStatus, renderPage, tr } from "./layout.tsx";
import { clientAddress, readUrlEncoded } from "./public-edge.ts";
import { TrackForm, TrackResult } from "./track-view.tsx";

/**
 * /track (issue 13 item 1): the employee's lookup by case or voucher number and 公民身份号码. No login and no
 * cookie: each POST carries the pair; a wrong pair and a missing case get the same 404 page; every lookup and
 * every download is charged to the client's token bucket (429 with Retry-After past it).
 */
export const track = new Hono<HonoEnv>();

const TITLE = ["查询转移进度", "Track a transfer"] as const;

function page(c: Context<HonoEnv>, lang: Lang, body: Child, status: PageStatus = 200) {
  return renderPage(
    c,
    <Page lang={lang} title={tr(lang, ...TITLE)} self="/track">
      {body}
    </Page>,
    status,
  );
}

track.get("/track", (c) => {
  const lang = langOf(c);
  return page(c, lang, <TrackForm lang={lang} />);
});

/** The pair from a form; a malformed ID number is said so (that reveals nothing about any case). */
async function readPair(c: Context<HonoEnv>): Promise<TrackQuery | "invalid"> {
  const form = await readUrlEncoded(c);
  const reference = (form.get("reference") ?? "").trim();
  const idNumber = (form.get("idNumber") ?? "").replace(/\s+/g, "").toUpperCase();
  if (!reference || reference.length > 128 || !checkIdNumber(idNumber).ok) return "invalid";
  return { reference, idNumber, client: clientAddress(c) };
}

function invalidPage(c: Context<HonoEnv>, lang: Lang) {
  const text = tr(
    lang,
    "请填写案件编号（或凭证编号）和 18 位公民身份号码。",
    "Enter the case (or voucher) number and the 18-character citizen ID number.",
  );
  return page(
    c,
    lang,
    <>
      <p class="verdict warn" role="alert">
        {text}
      </p>
      <TrackForm lang={lang} />
    </>,
    400,
  );
}

/** The one answer for a missing case and a wrong pair alike: same status, same words. */
function neutralPage(c: Context<HonoEnv>, lang: Lang) {
  const text = tr(
    lang,
    "没有找到与这两项信息同时相符的转移记录。请核对案件编号（或凭证编号）和公民身份号码后再试。",
    "No transfer matches both entries. Check the case (or voucher) number and the ID number and try again.",
  );
  return page(
    c,
    lang,
    <>
      <p class="verdict warn" role="alert" id="neutral">
        {text}
      </p>
      <TrackForm lang={lang} />
    </>,
    404,
  );
}

function limitedPage(c: Context<HonoEnv>, lang: Lang, err: RateLimitedError) {
  c.header("Retry-After", String(err.retryAfterSeconds));
  const minutes = Math.max(1, Math.ceil(err.retryAfterSeconds / 60));
  const text = tr(
    lang,
    `查询次数过多，请约 ${minutes} 分钟后再试。`,
    `Too many lookups. Please try again in about ${minutes} minute(s).`,
  );
  return page(
    c,
    lang,
    <p class="verdict warn" role="alert" id="limited">
      {text}
    </p>,
    429,
  );
}

track.post("/track", async (c) => {
  const lang = langOf(c);
  const pair = await readPair(c);
  if (pair === "invalid") return invalidPage(c, lang);
  try {
    const answer = await trackCase(c.get("gateway"), pair);
    if (!answer.found) return neutralPage(c, lang);
    return page(c, lang, <TrackResult lang={lang} t={answer.tracked} />);
  } catch (err) {
    if (err instanceof RateLimitedError) return limitedPage(c, lang, err);
    throw err;
  }
});

track.post("/track/voucher.pdf", async (c) => {
  const lang = langOf(c);
  const pair = await readPair(c);
  if (pair === "invalid") return invalidPage(c, lang);
  try {
    const baseUrl = new URL(c.req.url).origin;
    const voucher = await printTrackedVoucher(c.get("gateway"), pair, { baseUrl });
    if (voucher.kind === "not-found") return neutralPage(c, lang);
    if (voucher.kind === "no-voucher") {
      const text = tr(lang, "本案件没有电子参保缴费凭证。", "This case has no electronic contribution voucher.");
      return page(c, lang, <p class="verdict warn">{text}</p>, 404);
    }
    c.header("content-type", "application/pdf");
    c.header("content-disposition", `attachment; filename="${voucher.filename.replace(/[^\w.-]/g, "_")}"`);
    c.header("cache-control", "no-store");
    c.header("x-content-type-options", "nosniff");
    return c.body(voucher.pdf as Uint8Array<ArrayBuffer>);
  } catch (err) {
    if (err instanceof RateLimitedError) return limitedPage(c, lang, err);
    if ((err as { code?: string }).code === "PRINT_UNAVAILABLE") {
      const text = tr(lang, "暂时无法生成凭证，请稍后再试。", "The voucher cannot be printed right now; try later.");
      c.header("Retry-After", "30");
      return page(c, lang, <p class="verdict warn">{text}</p>, 503);
    }
    throw err;
  }
});
