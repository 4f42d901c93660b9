import { Hono } from "hono";
import { acknowledgeInbound, readPendingInbox, type InboxEntry } from "../../../usecases/index.ts";
import type { HonoEnv } from "../../env.ts";
import { href, tr } from "../layout.tsx";
import { shanghaiTime } from "../public-edge.ts";
import { DOCUMENT_TYPES, INDICATIONS, PRIORITY_REASONS, nameOf } from "./labels.ts";
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
  WideTable,
} from "./shell.tsx";

/**
 * The console's home (issue 13 item 4): inbound case documents this agency has not acknowledged yet, each with
 * its verification verdict and the case's priority, and a button that seals the business receipt — the same
 * use case as POST /v1/inbox/:id/ack.
 */
export const consoleInbox = new Hono<HonoEnv>();

const INBOX_PAGE = 100;

consoleInbox.get("/console", async (c) => {
  const signed = await signedIn(c);
  if (!signed) return toLogin(c);
  const entries = await readPendingInbox(c.var.gateway, signed.principal, INBOX_PAGE);
  const acked = c.req.query("acked");
  return answerPage(c, <InboxPage signed={signed} entries={entries} acked={acked} />);
});

consoleInbox.post("/console/inbox/:documentId/ack", async (c) => {
  const check = await signedForm(c);
  if (!check.ok) return refuseForm(c, check.reason);
  const { signed, form } = check;
  const from = form.get("from");
  const documentId = c.req.param("documentId");
  try {
    const receipt = await acknowledgeInbound(c.var.gateway, signed.principal, {
      documentId,
      ...(typeof from === "string" && from ? { from } : {}),
      outcome: form.get("outcome") === "rejected" ? "rejected" : "accepted",
    });
    const query = `acked=${encodeURIComponent(`${documentId} → ${receipt.documentId}`)}`;
    return seeOther(c, href(signed.lang, `/console?${query}`));
  } catch (error) {
    if (!isRefusal(error)) throw error;
    const entries = await readPendingInbox(c.var.gateway, signed.principal, INBOX_PAGE);
    return answerPage(c, <InboxPage signed={signed} entries={entries} error={error} />, 409, refusalCode(error));
  }
});

function InboxPage(props: { signed: Signed; entries: InboxEntry[]; acked?: string | undefined; error?: unknown }) {
  const { signed, entries } = props;
  const { lang } = signed;
  return (
    <ConsolePage signed={signed} title={tr(lang, "收件箱", "Inbox")} self="/console">
      {props.acked ? (
        <p class="verdict ok" role="status">
          {tr(lang, "已确认并发出业务回执：", "Acknowledged, business receipt sent: ")}
          <span class="mono">{props.acked}</span>
        </p>
      ) : null}
      {props.error ? <ErrorBox lang={lang} error={props.error} /> : null}
      <p class="hint">
        {tr(
          lang,
          "以下文书已收到但尚未确认处理。确认即以本机构印章签发业务回执给发文机构。",
          "Documents received and not yet acknowledged. Acknowledging seals a business receipt back to the sender.",
        )}
      </p>
      {entries.length >= INBOX_PAGE ? (
        <p class="hint">
          {tr(
            lang,
            `显示最早的 ${INBOX_PAGE} 份；确认后显示其余。`,
            `The oldest ${INBOX_PAGE} are shown; more follow.`,
          )}
        </p>
      ) : null}
      {entries.length === 0 ? (
        <p class="card">{tr(lang, "没有待确认的文书。", "Nothing waits for acknowledgement.")}</p>
      ) : (
        <WideTable
          heads={[
            tr(lang, "文书", "Document"),
            tr(lang, "案件", "Case"),
            tr(lang, "发文机构", "From"),
            tr(lang, "收到时间", "Received"),
            tr(lang, "验证", "Verification"),
            tr(lang, "操作", "Action"),
          ]}
        >
          {entries.map((e) => (
            <InboxRow signed={signed} entry={e} />
          ))}
        </WideTable>
      )}
    </ConsolePage>
  );
}

function InboxRow({ signed, entry: e }: { signed: Signed; entry: InboxEntry }) {
  const { lang } = signed;
  const indication = e.report?.indication;
  const from = signed.agencyLabel(e.from);
  return (
    <tr>
      <td>
        {nameOf(DOCUMENT_TYPES, e.type, lang)}
        <br />
        <span class="mono hint">{e.documentId}</span>
        {e.priority ? (
          <>
            {" "}
            <span class="badge priority">
              {tr(lang, "优先", "Priority")}: {nameOf(PRIORITY_REASONS, e.priority.reasonCode, lang)}
            </span>
          </>
        ) : null}
      </td>
      <td>
        <a href={href(lang, `/console/cases/${encodeURIComponent(e.caseId)}`)} class="mono">
          {e.caseId}
        </a>
      </td>
      <td>{from}</td>
      <td>{shanghaiTime(e.receivedAt)}</td>
      <td>
        <span class={`badge ${indication === "TOTAL_PASSED" ? "console-ok" : "overdue"}`}>
          {indication ? nameOf(INDICATIONS, indication, lang) : tr(lang, "无报告", "No report")}
        </span>
        {e.report?.subIndication ? <span class="hint mono"> {e.report.subIndication}</span> : null}
      </td>
      <td>
        <form
          method="post"
          action={href(lang, `/console/inbox/${encodeURIComponent(e.documentId)}/ack`)}
          class="console-inline"
        >
          <CsrfField signed={signed} />
          <input type="hidden" name="from" value={e.from} />
          <button type="submit" aria-label={`${tr(lang, "确认处理", "Acknowledge")} ${e.documentId}`}>
            {tr(lang, "确认处理", "Acknowledge")}
          </button>
        </form>
      </td>
    </tr>
  );
}
