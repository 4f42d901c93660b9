import { Hono } from "hono";
import type { Context } from "hono";
import { CASE_STEP_TYPES } from "../../../domain/documents/index.ts";
import { readStrictJson } from "../../../domain/strict-json.ts";
import {
  describeCase,
  listCaseDeliveries,
  readCaseWorkbench,
  submitDocument,
  type CaseView,
  type CaseWorkbench,
  type DeliveryRecord,
} from "../../../usecases/index.ts";
import type { HonoEnv } from "../../env.ts";
import { EdgeError } from "../../errors.ts";
import { href, tr } from "../layout.tsx";
import { CaseDocuments, CaseFacts, CaseTimeline } from "./case-parts.tsx";
import { DeliveryTable, DoneNote } from "./deliveries.tsx";
import { DOCUMENT_TYPES, nameOf } from "./labels.ts";
import {
  ConsolePage,
  CsrfField,
  ErrorBox,
  answerPage,
  isRefusal,
  refusalCode,
  refuseForm,
  seeOther,
  signedForm,
  signedIn,
  toLogin,
  type Signed,
} from "./shell.tsx";
import { documentTemplate } from "./templates.ts";

/**
 * A case (issue 13 item 4): status, parties, deadlines, voucher, timeline, documents with their verification
 * reports and receipts, deliveries with attempts, and the form that submits the next document from a
 * prefilled template (POST → submitDocument, the use case of POST /v1/cases/:id/documents).
 */
export const consoleCaseDetail = new Hono<HonoEnv>();

/** What the page reports after a redirect: a document sent, a delivery retried or cancelled. */
interface Notice {
  sent?: string | undefined;
  done?: string | undefined;
}

/** The form's content: a chosen type (its template), or what the user posted and why it was refused. */
interface Draft {
  type: string;
  json?: string;
  error?: unknown;
}

consoleCaseDetail.get("/console/cases/:id", async (c) => {
  const signed = await signedIn(c);
  if (!signed) return toLogin(c);
  const chosen = c.req.query("type");
  const draft = chosen && (CASE_STEP_TYPES as readonly string[]).includes(chosen) ? { type: chosen } : undefined;
  return showCase(c, signed, draft, { sent: c.req.query("sent"), done: c.req.query("done") });
});

consoleCaseDetail.post("/console/cases/:id/documents", async (c) => {
  const check = await signedForm(c, "document");
  if (!check.ok) return refuseForm(c, check.reason);
  const { signed, form } = check;
  const caseId = c.req.param("id");
  const type = String(form.get("type") ?? "");
  const json = String(form.get("body") ?? "");
  try {
    if (!(CASE_STEP_TYPES as readonly string[]).includes(type))
      throw new EdgeError("REQUEST_INVALID", `not a case document type: ${type}`);
    const body = readStrictJson(json);
    const summary = await submitDocument(c.var.gateway, signed.principal, caseId, {
      type: type as (typeof CASE_STEP_TYPES)[number],
      body,
    });
    const path = `/console/cases/${encodeURIComponent(caseId)}?sent=${encodeURIComponent(summary.documentId)}`;
    return seeOther(c, href(signed.lang, path));
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return showCase(c, signed, { type, json, error }, {}, 422);
  }
});

async function showCase(
  c: Context<HonoEnv>,
  signed: Signed,
  draft: Draft | undefined,
  notice: Notice,
  status: 200 | 422 = 200,
) {
  const caseId = c.req.param("id")!;
  const gateway = c.var.gateway;
  let view: CaseView;
  try {
    view = await describeCase(gateway, signed.principal, caseId);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    const page = (
      <ConsolePage signed={signed} title={tr(signed.lang, "案件", "Case")} self={`/console/cases/${caseId}`}>
        <ErrorBox lang={signed.lang} error={error} />
      </ConsolePage>
    );
    return answerPage(c, page, 404, refusalCode(error));
  }
  const [bench, deliveries] = await Promise.all([
    readCaseWorkbench(gateway, signed.principal, caseId),
    listCaseDeliveries(gateway, signed.principal, caseId),
  ]);
  const props = { signed, view, bench, deliveries, draft, notice };
  return answerPage(c, <CasePage {...props} />, status);
}

function CasePage(props: {
  signed: Signed;
  view: CaseView;
  bench: CaseWorkbench;
  deliveries: DeliveryRecord[];
  draft: Draft | undefined;
  notice: Notice;
}) {
  const { signed, view, bench } = props;
  const { lang } = signed;
  return (
    <ConsolePage
      signed={signed}
      title={`${tr(lang, "案件", "Case")} ${view.caseId}`}
      self={`/console/cases/${view.caseId}`}
    >
      {props.notice.done ? <DoneNote signed={signed} done={props.notice.done} /> : null}
      {props.notice.sent ? (
        <p class="verdict ok" role="status">
          {tr(lang, "已签章并排队投递：", "Sealed and queued: ")}
          <span class="mono">{props.notice.sent}</span>
        </p>
      ) : null}
      <CaseFacts signed={signed} view={view} />
      <h2>{tr(lang, "时间线", "Timeline")}</h2>
      <CaseTimeline lang={lang} view={view} />
      <h2>{tr(lang, "文书与验证报告", "Documents and verification")}</h2>
      <CaseDocuments signed={signed} view={view} reports={bench.reports} />
      <h2>{tr(lang, "投递", "Deliveries")}</h2>
      {props.deliveries.length ? (
        <DeliveryTable signed={signed} deliveries={props.deliveries} back={`/console/cases/${view.caseId}`} />
      ) : (
        <p class="card">{tr(lang, "本案件没有本机构发出的投递。", "No outbound deliveries for this case.")}</p>
      )}
      <h2 id="next">{tr(lang, "提交下一份文书", "Submit the next document")}</h2>
      <NextDocumentForm signed={signed} view={view} bench={bench} draft={props.draft} />
    </ConsolePage>
  );
}

function NextDocumentForm(props: { signed: Signed; view: CaseView; bench: CaseWorkbench; draft: Draft | undefined }) {
  const { signed, view, bench, draft } = props;
  const { lang } = signed;
  if (!draft?.json && bench.expects.length === 0)
    return (
      <p class="card">
        {tr(
          lang,
          "案件当前状态下本机构无需提交文书（等待对方或已结束）。",
          "Nothing for this agency to send in this state (waiting for the other side, or closed).",
        )}
      </p>
    );
  const type = draft?.type ?? bench.expects[0]!;
  const choices = bench.expects.includes(type as never) ? bench.expects : [type, ...bench.expects];
  const json = draft?.json ?? documentTemplate(type, bench, signed.agencyNameOf) ?? "{}";
  const self = `/console/cases/${encodeURIComponent(view.caseId)}`;
  return (
    <form method="post" action={href(lang, `${self}/documents`)} class="card stack">
      {choices.length > 1 ? (
        <p class="console-templates">
          {tr(lang, "换用模板：", "Template for: ")}
          {choices.map((t) => (
            <>
              <a href={`${href(lang, `${self}?type=${t}`)}#next`}>{nameOf(DOCUMENT_TYPES, t, lang)}</a>{" "}
            </>
          ))}
        </p>
      ) : null}
      {draft?.error ? <ErrorBox lang={lang} error={draft.error} /> : null}
      <CsrfField signed={signed} />
      <label for="next-type">{tr(lang, "文书类型", "Document type")}</label>
      <select id="next-type" name="type">
        {choices.map((t) => (
          <option value={t} selected={t === type}>
            {nameOf(DOCUMENT_TYPES, t, lang)} ({t})
          </option>
        ))}
      </select>
      <label for="next-body">{tr(lang, "文书内容（JSON，body 部分）", "Document body (JSON)")}</label>
      <textarea id="next-body" name="body" rows={18} spellcheck={false}>
        {json}
      </textarea>
      <p class="hint">
        {tr(
          lang,
          `模板按“${nameOf(DOCUMENT_TYPES, type, lang)}”预填了本案件的人员、双方机构和文书编号；换类型请用上方的模板链接。`,
          "The template is prefilled with this case's person, parties and document ids for the selected type.",
        )}
      </p>
      <button type="submit">{tr(lang, "签章并发送", "Seal and send")}</button>
    </form>
  );
}
