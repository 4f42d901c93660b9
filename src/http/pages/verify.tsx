import { Hono } from "hono";
import { CodedError } from "../../domain/errors.ts";
import { verifyUpload } from "../../usecases/index.ts";
import type { HonoEnv } from "../env.ts";
import { EdgeError, statusOfCode } from "../errors.ts";
import { type Lang, langOf, type PageStatus, titledPage, tr } from "./layout.tsx";
import { clientAddress, readFormData, setErrorHeaders } from "./public-edge.ts";
import { VerifyForm, VerifyResult } from "./verify-view.tsx";

/**
 * /verify (issue 13 item 3): compliance staff upload what they hold and read the simple report, verdict first.
 * Public: it verifies only what the visitor already has, and stores nothing. The body is bounded by the
 * gateway's upload limit (413 page beyond it).
 */
export const verifyPage = new Hono<HonoEnv>();

const TITLE = ["核验电子文书", "Verify a document"] as const;

const page = titledPage(TITLE, "/verify");

verifyPage.get("/verify", (c) => {
  const lang = langOf(c);
  return page(
    c,
    lang,
    <>
      <p>
        {tr(
          lang,
          "上传电子文书（含签章的 JSON）、签章文件 .p7s 及其内容、打印的凭证 PDF 或案件证据包 ZIP，核验签章与内容。",
          "Upload a sealed document (JSON), a .p7s with its content, a printed voucher PDF or a case evidence pack (ZIP) to check its seal and content.",
        )}
      </p>
      <VerifyForm lang={lang} />
    </>,
  );
});

/** Why an upload could not be verified, in words (the code stays for support). */
function refusal(lang: Lang, code: string, limit: number): string {
  switch (code) {
    case "BODY_TOO_LARGE":
      return tr(
        lang,
        `文件太大：本网关最多接受 ${Math.floor(limit / 1024)} KB。`,
        `The upload is too large: this gateway accepts at most ${Math.floor(limit / 1024)} KB.`,
      );
    case "EVIDENCE_PACK_TOO_LARGE":
    case "PDF_TOO_LARGE":
      return tr(
        lang,
        "文件解压后过大或结构异常，本网关不予核验。证据包请用命令 jiexu archive verify 在本机核验。",
        "The file would expand too far to verify here. Verify an evidence pack locally with `jiexu archive verify`.",
      );
    case "RATE_LIMITED":
      return tr(lang, "核验次数过多，请稍后再试。", "Too many verifications; please try again shortly.");
    case "PDF_NO_SEALED_ORIGINAL":
      return tr(lang, "此 PDF 没有附带电子原件，无法核验。", "This PDF carries no sealed original to verify.");
    case "PRINT_UNAVAILABLE":
      return tr(
        lang,
        "本网关暂时无法读取 PDF，请上传电子文书 JSON。",
        "PDFs cannot be read here right now; upload the JSON.",
      );
    default:
      return tr(
        lang,
        "无法识别文件：请上传含签章的 JSON、.p7s（同时上传被签内容）、凭证 PDF 或证据包 ZIP。",
        "The file was not recognised: upload a sealed JSON, a .p7s with its content, a voucher PDF or an evidence pack ZIP.",
      );
  }
}

verifyPage.post("/verify", async (c) => {
  const lang = langOf(c);
  const limit = c.get("gateway").limits.maxUploadBytes;
  try {
    const form = await readFormData(c, "upload").catch((err: unknown) => {
      if (err instanceof EdgeError) throw err;
      throw new EdgeError("REQUEST_INVALID", "the upload is not multipart/form-data");
    });
    const file = await bytesOf(form.get("file"));
    if (!file) throw new EdgeError("REQUEST_INVALID", "no file uploaded");
    const content = await bytesOf(form.get("content"));
    const result = await verifyUpload(c.get("gateway"), { file, content, client: clientAddress(c) });
    return page(c, lang, <VerifyResult lang={lang} result={result} />);
  } catch (err) {
    if (!(err instanceof CodedError)) throw err;
    const status = statusOfCode(err.code) ?? 400;
    if (status >= 500 && err.code !== "PRINT_UNAVAILABLE") throw err;
    setErrorHeaders(c, err, status);
    const text = refusal(lang, err.code, limit);
    return page(
      c,
      lang,
      <>
        <p class="verdict warn" role="alert" id="refusal">
          {text}
        </p>
        <VerifyForm lang={lang} />
      </>,
      status as PageStatus,
      err.code,
    );
  }
});

/** A form field's file bytes; an empty or missing file is no file. */
async function bytesOf(value: FormDataEntryValue | null): Promise<Uint8Array | undefined> {
  if (value === null || typeof value === "string") return undefined;
  const bytes = new Uint8Array(await value.arrayBuffer());
  return bytes.length > 0 ? bytes : undefined;
}
