import { type Context, Hono } from "hono";
import { CodedError } from "../../domain/errors.ts";
import { checkIdNumber } from "../../domain/identifiers/index.ts";
import { printTrackedVoucher, RateLimitedError, trackCase, type TrackQuery } from "../../usecases/index.ts";
import type { HonoEnv } from "../env.ts";
import { statusOfCode } from "../errors.ts";
import { baseUrlOf, pdfResponse } from "../pdf.ts";
import { type Lang, langOf, type PageStatus, titledPage, tr } from "./layout.tsx";
import { clientAddress, readUrlEncoded, setErrorHeaders } from "./public-edge.ts";
import { TrackForm, TrackResult } from "./track-view.tsx";

/**
 * /track (issue 13 item 1): the employee's lookup by case or voucher number and 公民身份号码. No login and no
 * cookie: each POST carries the pair; a wrong pair and a missing case get the same 404 page; every lookup and
 * every download is charged to the client's token bucket (429 with Retry-After past it).
 */
export const track = new Hono<HonoEnv>();

const TITLE = ["查询转移进度", "Track a transfer"] as const;

const page = titledPage(TITLE, "/track");

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
    "REQUEST_INVALID",
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
    "CASE_NOT_FOUND",
  );
}

function limitedPage(c: Context<HonoEnv>, lang: Lang, err: RateLimitedError) {
  setErrorHeaders(c, err, 429);
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

/**
 * A coded failure as a page: too many lookups (429), an oversized form (413), a voucher that cannot be
 * printed (a rare character in the name, 422; no printer now, 503). Anything else is the app's error.
 */
function failurePage(c: Context<HonoEnv>, lang: Lang, err: unknown) {
  if (err instanceof RateLimitedError) return limitedPage(c, lang, err);
  if (!(err instanceof CodedError)) throw err;
  const text = FAILURES[err.code as keyof typeof FAILURES];
  const status = statusOfCode(err.code);
  if (!text || !status) throw err;
  setErrorHeaders(c, err, status);
  return page(
    c,
    lang,
    <p class="verdict warn" role="alert" id="failure">
      {tr(lang, text[0], text[1])}
    </p>,
    status as PageStatus,
    err.code,
  );
}

const FAILURES = {
  BODY_TOO_LARGE: ["提交的内容过长。", "The form is too large."],
  PRINT_GLYPH_MISSING: [
    "凭证中有本网关无法打印的字符（如姓名中的生僻字），请联系开具凭证的社保经办机构。",
    "The voucher holds a character this gateway cannot print (a rare character in the name); ask the issuing agency.",
  ],
  PRINT_UNAVAILABLE: ["暂时无法生成凭证，请稍后再试。", "The voucher cannot be printed right now; try later."],
} as const satisfies Record<string, readonly [string, string]>;

track.post("/track", async (c) => {
  const lang = langOf(c);
  try {
    const pair = await readPair(c);
    if (pair === "invalid") return invalidPage(c, lang);
    const answer = await trackCase(c.get("gateway"), pair);
    if (!answer.found) return neutralPage(c, lang);
    return page(c, lang, <TrackResult lang={lang} t={answer.tracked} />);
  } catch (err) {
    return failurePage(c, lang, err);
  }
});

track.post("/track/voucher.pdf", async (c) => {
  const lang = langOf(c);
  try {
    const pair = await readPair(c);
    if (pair === "invalid") return invalidPage(c, lang);
    const voucher = await printTrackedVoucher(c.get("gateway"), pair, { baseUrl: baseUrlOf(c) });
    if (voucher.kind === "not-found") return neutralPage(c, lang);
    if (voucher.kind === "no-voucher") {
      const text = tr(lang, "本案件没有电子参保缴费凭证。", "This case has no electronic contribution voucher.");
      return page(c, lang, <p class="verdict warn">{text}</p>, 404);
    }
    return pdfResponse(c, voucher);
  } catch (err) {
    return failurePage(c, lang, err);
  }
});
