import type { VerificationReport } from "../../../pki/index.ts";
import type { CaseView, DocumentSummary } from "../../../usecases/index.ts";
import { href, tr, type Lang } from "../layout.tsx";
import { shanghaiTime } from "../public-edge.ts";
import {
  CASE_STATUSES,
  DOCUMENT_STATES,
  DOCUMENT_TYPES,
  INDICATIONS,
  PRIORITY_REASONS,
  STEPS,
  nameOf,
} from "./labels.ts";
import { documentPdfPath } from "./prints.tsx";
import type { Signed } from "./shell.tsx";

/** The parts of the console's case page (issue 13 item 4): facts, timeline, documents with their reports. */

const EVENTS: Record<string, readonly [string, string]> = {
  ApplicationRegistered: ["受理转移申请", "Application registered"],
  ApplicationRefused: ["书面拒绝申请", "Application refused"],
  ContactLetterSent: ["联系函已发出", "Contact letter sent"],
  ContactLetterReceived: ["收到联系函", "Contact letter received"],
  InsuranceRecordSent: ["信息表已发出", "Insurance record sent"],
  InsuranceRecordReceived: ["收到信息表", "Insurance record received"],
  FundTransferSent: ["基金已划转", "Funds transferred"],
  FundTransferReceived: ["基金已到账", "Funds received"],
  CompletionClockStarted: ["办结时限开始", "Completion clock started"],
  CompletionSent: ["办结通知已发出", "Completion sent"],
  CompletionReceived: ["收到办结通知", "Completion received"],
  ReturnSent: ["已退回", "Returned"],
  ReturnReceived: ["被退回", "Return received"],
  DiscrepancySent: ["核对不符已发出", "Discrepancy sent"],
  DiscrepancyReceived: ["收到核对不符", "Discrepancy received"],
  DiscrepancyResolved: ["核对不符已解决", "Discrepancy resolved"],
  EmergencyDeclared: ["应急期间暂停计时", "Emergency declared"],
  CaseCancelled: ["案件撤销", "Case cancelled"],
};

export function CaseFacts({ signed, view }: { signed: Signed; view: CaseView }) {
  const { lang } = signed;
  const deadline = view.openDeadlines[0];
  const transferIn = view.view === "transfer-in" ? view.agencyId : view.counterpartId;
  const transferOut = view.view === "transfer-out" ? view.agencyId : view.counterpartId;
  return (
    <dl class="facts card">
      <dt>{tr(lang, "状态", "Status")}</dt>
      <dd>
        {nameOf(CASE_STATUSES, view.status, lang)}{" "}
        {view.overdue ? <span class="badge overdue">{tr(lang, "已超期", "Overdue")}</span> : null}{" "}
        {view.priority ? (
          <span class="badge priority">
            {tr(lang, "优先", "Priority")}: {nameOf(PRIORITY_REASONS, view.priority.reasonCode, lang)}
          </span>
        ) : null}
      </dd>
      <dt>{tr(lang, "转入地", "Transfer-in")}</dt>
      <dd>{transferIn ? signed.agencyLabel(transferIn) : "—"}</dd>
      <dt>{tr(lang, "转出地", "Transfer-out")}</dt>
      <dd>{transferOut ? signed.agencyLabel(transferOut) : "—"}</dd>
      <dt>{tr(lang, "参保人员", "Person")}</dt>
      <dd>{view.person ? `${view.person.name} ${view.person.idNumber}` : "—"}</dd>
      <dt>{tr(lang, "当前步骤时限", "Deadline")}</dt>
      <dd>
        {deadline ? (
          <>
            {nameOf(STEPS, deadline.step, lang)} · {tr(lang, "法定期限", "due")} {deadline.due}
            {deadline.overdue ? <span class="badge overdue">{tr(lang, "已超期", "Overdue")}</span> : null}
            {deadline.target ? (
              <span class="hint">
                {" "}
                · {tr(lang, "内部目标", "target")} {deadline.target.due}
                {deadline.targetMissed ? tr(lang, "（已错过）", " (missed)") : ""}
              </span>
            ) : null}
          </>
        ) : (
          tr(lang, "无未到期时限", "No open deadline")
        )}
      </dd>
      <dt>{tr(lang, "参保缴费凭证", "Voucher")}</dt>
      <dd class="mono">
        {view.voucher ? `${view.voucher.id}${view.voucher.check ? ` (${view.voucher.check})` : ""}` : "—"}
      </dd>
      <dt>{tr(lang, "受理时间", "Opened")}</dt>
      <dd>{shanghaiTime(view.openedAt) || "—"}</dd>
    </dl>
  );
}

export function CaseTimeline({ lang, view }: { lang: Lang; view: CaseView }) {
  return (
    <ol class="timeline card">
      {view.timeline.map((e) => (
        <li class="done">
          <strong>{nameOf(EVENTS, e.type, lang)}</strong> <span class="hint">{shanghaiTime(e.at)}</span>
          {e.notes?.length ? <span class="hint mono"> {e.notes.join(" · ")}</span> : null}
        </li>
      ))}
    </ol>
  );
}

export function CaseDocuments(props: { signed: Signed; view: CaseView; reports: Record<string, VerificationReport> }) {
  const { signed, view, reports } = props;
  if (view.documents.length === 0) return <p class="card">{tr(signed.lang, "尚无文书。", "No documents yet.")}</p>;
  return (
    <div>
      {view.documents.map((d) => (
        <DocumentCard
          signed={signed}
          caseId={view.caseId}
          doc={d}
          report={reports[`${d.direction}:${d.from}:${d.documentId}`]}
        />
      ))}
    </div>
  );
}

function DocumentCard({
  signed,
  caseId,
  doc: d,
  report,
}: {
  signed: Signed;
  caseId: string;
  doc: DocumentSummary;
  report?: VerificationReport | undefined;
}) {
  const { lang } = signed;
  const indication = report?.indication ?? d.verification?.indication;
  return (
    <section class="card console-doc" aria-label={d.documentId}>
      <p>
        <strong>{nameOf(DOCUMENT_TYPES, d.type, lang)}</strong> <span class="mono">{d.documentId}</span>{" "}
        <span class="badge">{d.direction === "in" ? tr(lang, "收", "in") : tr(lang, "发", "out")}</span>{" "}
        <span class="badge">{nameOf(DOCUMENT_STATES, d.state, lang)}</span>{" "}
        <a
          href={href(lang, documentPdfPath(caseId, d.documentId))}
          download
          aria-label={`${tr(lang, "打印 / PDF", "Print / PDF")} ${d.documentId}`}
        >
          {tr(lang, "打印 / PDF", "Print / PDF")}
        </a>
      </p>
      <dl class="facts">
        <dt>{d.direction === "in" ? tr(lang, "发文机构", "From") : tr(lang, "收文机构", "To")}</dt>
        <dd>{signed.agencyLabel(d.direction === "in" ? d.from : d.to)}</dd>
        <dt>{tr(lang, "时间", "Recorded")}</dt>
        <dd>{shanghaiTime(d.recordedAt)}</dd>
        <dt>{tr(lang, "验证", "Verification")}</dt>
        <dd>
          {indication ? (
            <span class={`badge ${indication === "TOTAL_PASSED" ? "console-ok" : "overdue"}`}>
              {nameOf(INDICATIONS, indication, lang)}
            </span>
          ) : (
            tr(lang, "本机构签章，未单独验证", "Sealed here")
          )}
          {(report?.subIndication ?? d.verification?.subIndication) ? (
            <span class="mono"> {report?.subIndication ?? d.verification?.subIndication}</span>
          ) : null}
          {report?.signer ? <span class="hint"> · {report.signer.subject}</span> : null}
        </dd>
        <dt>{tr(lang, "传输回执", "Transport receipt")}</dt>
        <dd>{d.receipted ? tr(lang, "有", "present") : tr(lang, "无", "none")}</dd>
        <dt>{tr(lang, "业务回执", "Business receipt")}</dt>
        <dd class="mono">{d.businessReceiptId ?? "—"}</dd>
        <dt>SHA-256</dt>
        <dd class="mono">{d.documentSha256}</dd>
      </dl>
      {report ? (
        <details>
          <summary>{tr(lang, "完整验证报告", "Full verification report")}</summary>
          <div class="scroll">
            <pre class="mono">{JSON.stringify(report, null, 2)}</pre>
          </div>
        </details>
      ) : null}
    </section>
  );
}
