import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { PRIORITY_REASON_CODES } from "../../../domain/documents/index.ts";
import { readStrictJson } from "../../../domain/strict-json.ts";
import {
  GatewayError,
  issueVoucher,
  readVoucher,
  registerApplication,
  sealedFromPdf,
} from "../../../usecases/index.ts";
import type { HonoEnv } from "../../env.ts";
import { EdgeError } from "../../errors.ts";
import { agencyId, documentIdParam } from "../../schemas.ts";
import { parseOrRefuse } from "../../validate.ts";
import { href } from "../layout.tsx";
import { answerPage, isRefusal, refuseForm, seeOther, toLogin, signedForm, signedIn } from "./shell.tsx";
import { NewPage, type Fields } from "./new-page.tsx";

/**
 * Forms (issue 13 item 4): issue a contribution voucher from the example rewritten for this agency
 * (POST → issueVoucher) and register an application (POST → registerApplication), the use cases of
 * POST /v1/vouchers and POST /v1/cases. The person's voucher comes pasted (sealed JSON) or as the printed PDF
 * (multipart upload, under the upload limit), whose attached sealed original is used as POST /v1/cases does
 * with voucherPdf. A refusal is shown in plain words above the form, input kept (a browser never refills a
 * file input: the PDF is chosen again).
 */
export const consoleForms = new Hono<HonoEnv>();

const Application = z.strictObject({
  caseId: documentIdParam.optional(),
  transferOutAgency: agencyId,
  person: z.strictObject({
    name: z.string().min(1).max(50),
    idNumber: z.string().regex(/^\d{17}[\dXx]$/, "公民身份号码应为 18 位 (18-character ID number)"),
  }),
  priority: z.strictObject({ reasonCode: z.enum(PRIORITY_REASON_CODES) }).optional(),
  voucher: z.strictObject({ document: z.record(z.string(), z.unknown()), seal: z.string() }).optional(),
});

consoleForms.get("/console/new", async (c) => {
  const signed = await signedIn(c);
  if (!signed) return toLogin(c);
  const issued = c.req.query("issued");
  let sealed: string | undefined;
  if (issued) {
    try {
      sealed = JSON.stringify((await readVoucher(c.var.gateway, signed.principal, issued)).sealed);
    } catch (error) {
      if (!isRefusal(error)) throw error;
    }
  }
  return answerPage(c, <NewPage signed={signed} issued={sealed ? { id: issued!, sealed } : undefined} />);
});

consoleForms.post("/console/new/voucher", async (c) => {
  const check = await signedForm(c, "document");
  if (!check.ok) return refuseForm(c, check.reason);
  const { signed, form } = check;
  const fields = { voucherBody: String(form.get("body") ?? "") };
  try {
    const issued = await issueVoucher(c.var.gateway, signed.principal, { body: readStrictJson(fields.voucherBody) });
    return seeOther(c, href(signed.lang, `/console/new?issued=${encodeURIComponent(issued.documentId)}`));
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return answerPage(c, <NewPage signed={signed} fields={fields} voucherError={error} />, 422);
  }
});

consoleForms.post("/console/new/application", async (c) => {
  const check = await signedForm(c, "upload").catch((error: unknown) => tooLarge(c, error));
  if (check instanceof Response) return check;
  if (!check.ok) return refuseForm(c, check.reason);
  const { signed, form } = check;
  const fields: Fields = {};
  for (const name of ["caseId", "transferOutAgency", "name", "idNumber", "reasonCode", "voucher"])
    fields[name] = String(form.get(name) ?? "").trim();
  try {
    const input = parseOrRefuse(
      Application,
      {
        ...(fields.caseId ? { caseId: fields.caseId } : {}),
        transferOutAgency: fields.transferOutAgency,
        person: { name: fields.name, idNumber: fields.idNumber },
        ...(fields.reasonCode ? { priority: { reasonCode: fields.reasonCode } } : {}),
        ...(fields.voucher ? { voucher: readStrictJson(fields.voucher!) } : {}),
      },
      "form",
    );
    const voucher = await voucherOf(c.var.gateway, form.get("voucherPdf"), input.voucher);
    const view = await registerApplication(c.var.gateway, signed.principal, {
      ...input,
      ...(voucher ? { voucher } : {}),
    });
    return seeOther(c, href(signed.lang, `/console/cases/${encodeURIComponent(view.caseId)}`));
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return answerPage(c, <NewPage signed={signed} fields={fields} applicationError={error} />, 422);
  }
});

/** Past the upload limit nothing was read: the form says so (413) rather than the API's JSON. */
async function tooLarge(c: Context<HonoEnv>, error: unknown): Promise<Response> {
  const signed = error instanceof EdgeError && error.code === "BODY_TOO_LARGE" ? await signedIn(c) : undefined;
  if (!signed) throw error;
  return answerPage(c, <NewPage signed={signed} applicationError={error} />, 413);
}

/** The presented voucher: the sealed original a chosen PDF carries, else the pasted JSON (never both). */
async function voucherOf(
  gateway: Parameters<typeof sealedFromPdf>[0],
  upload: FormDataEntryValue | null,
  pasted: { document: Record<string, unknown>; seal: string } | undefined,
) {
  if (typeof upload === "string" || upload === null || upload.size === 0) return pasted;
  if (pasted)
    throw new GatewayError("REQUEST_INVALID", "present the voucher once: the PDF or the sealed JSON, not both");
  return sealedFromPdf(gateway, new Uint8Array(await upload.arrayBuffer()));
}
