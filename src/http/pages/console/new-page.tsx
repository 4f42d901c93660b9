import { PRIORITY_REASON_CODES } from "../../../domain/documents/index.ts";
import { href, tr } from "../layout.tsx";
import { PRIORITY_REASONS, nameOf } from "./labels.ts";
import { voucherPdfPath } from "./prints.tsx";
import { ConsolePage, CsrfField, ErrorBox, type Signed } from "./shell.tsx";
import { voucherTemplate } from "./templates.ts";

/**
 * The console's 新建 page (issue 13 item 4): the register-application form (the voucher pasted as sealed JSON or
 * uploaded as its printed PDF) and the issue-voucher form, with the issued voucher and its PDF link once sealed.
 */

/** What the user typed, kept on a refusal. */
export type Fields = Record<string, string>;

export function NewPage(props: {
  signed: Signed;
  fields?: Fields;
  issued?: { id: string; sealed: string } | undefined;
  voucherError?: unknown;
  applicationError?: unknown;
}) {
  const { signed, issued } = props;
  const { lang } = signed;
  return (
    <ConsolePage signed={signed} title={tr(lang, "新建", "New")} self="/console/new">
      <h2 id="application">{tr(lang, "登记转移申请", "Register an application")}</h2>
      <ApplicationForm signed={signed} fields={props.fields ?? {}} error={props.applicationError} />
      <h2 id="voucher">{tr(lang, "出具参保缴费凭证", "Issue a contribution voucher")}</h2>
      {issued ? (
        <div class="verdict ok console-box" role="status">
          <p>
            {tr(lang, "凭证已签章出具：", "Voucher sealed and issued: ")}
            <span class="mono">{issued.id}</span>
          </p>
          <p>
            <a href={href(lang, voucherPdfPath(issued.id))} download>
              {tr(lang, "下载打印版凭证（PDF，交参保人员）", "Download the printed voucher (PDF, for the person)")}
            </a>
          </p>
          <label for="issued-json">{tr(lang, "已签章凭证（交参保人员）", "The sealed voucher (for the person)")}</label>
          <textarea id="issued-json" readonly rows={4}>
            {issued.sealed}
          </textarea>
        </div>
      ) : null}
      <VoucherForm signed={signed} body={props.fields?.voucherBody} error={props.voucherError} />
    </ConsolePage>
  );
}

function VoucherForm({ signed, body, error }: { signed: Signed; body: string | undefined; error: unknown }) {
  const { lang } = signed;
  const issuer = { divisionCode: signed.principal.agencyId.slice(0, 6), agencyName: signed.agencyName };
  return (
    <form method="post" action={href(lang, "/console/new/voucher")} class="card stack">
      {error ? <ErrorBox lang={lang} error={error} /> : null}
      <CsrfField signed={signed} />
      <label for="voucher-body">{tr(lang, "凭证内容（JSON）", "Voucher body (JSON)")}</label>
      <textarea id="voucher-body" name="body" rows={18} spellcheck={false}>
        {body ?? voucherTemplate(issuer)}
      </textarea>
      <p class="hint">
        {tr(
          lang,
          "模板来自示例凭证，出具机构已改为本机构；请按参保人员的实际缴费记录修改。",
          "The example voucher with this agency as issuer: edit it to the person's contribution record.",
        )}
      </p>
      <button type="submit">{tr(lang, "签章出具", "Seal and issue")}</button>
    </form>
  );
}

function ApplicationForm({ signed, fields, error }: { signed: Signed; fields: Fields; error: unknown }) {
  const { lang } = signed;
  const agencies = signed.hostedIds.filter((id) => id !== signed.principal.agencyId);
  return (
    <form
      method="post"
      action={href(lang, "/console/new/application")}
      enctype="multipart/form-data"
      class="card stack"
    >
      {error ? <ErrorBox lang={lang} error={error} /> : null}
      <CsrfField signed={signed} />
      <label for="app-case">{tr(lang, "案件编号（可选）", "Case id (optional)")}</label>
      <input id="app-case" name="caseId" value={fields.caseId ?? ""} autocomplete="off" />
      <label for="app-out">{tr(lang, "转出地经办机构（区划代码）", "Transfer-out agency (code)")}</label>
      <input
        id="app-out"
        name="transferOutAgency"
        list="app-out-list"
        value={fields.transferOutAgency ?? ""}
        required
      />
      <datalist id="app-out-list">
        {agencies.map((id) => (
          <option value={id}>{signed.agencyLabel(id)}</option>
        ))}
      </datalist>
      <label for="app-name">{tr(lang, "参保人员姓名", "Name")}</label>
      <input id="app-name" name="name" value={fields.name ?? ""} required autocomplete="off" />
      <label for="app-id">{tr(lang, "公民身份号码", "ID number")}</label>
      <input id="app-id" name="idNumber" value={fields.idNumber ?? ""} required maxlength={18} autocomplete="off" />
      <label for="app-priority">{tr(lang, "优先办理事由", "Priority reason")}</label>
      <select id="app-priority" name="reasonCode">
        <option value="">{tr(lang, "不优先", "None")}</option>
        {PRIORITY_REASON_CODES.map((code) => (
          <option value={code} selected={fields.reasonCode === code}>
            {nameOf(PRIORITY_REASONS, code, lang)}
          </option>
        ))}
      </select>
      <label for="app-voucher">{tr(lang, "参保缴费凭证（已签章 JSON，可选）", "Sealed voucher JSON (optional)")}</label>
      <textarea id="app-voucher" name="voucher" rows={4} spellcheck={false}>
        {fields.voucher ?? ""}
      </textarea>
      <label for="app-voucher-pdf">
        {tr(lang, "或上传打印版凭证（PDF，可选）", "Or upload the printed voucher (PDF, optional)")}
      </label>
      <input id="app-voucher-pdf" name="voucherPdf" type="file" accept="application/pdf,.pdf" />
      <p class="hint">
        {tr(
          lang,
          "使用 PDF 所附的已签章原件并验证其签章；打印的文字本身不作依据。",
          "The sealed original attached to the PDF is used and its seal verified; the printed text is not relied on.",
        )}
      </p>
      <button type="submit">{tr(lang, "登记", "Register")}</button>
    </form>
  );
}
