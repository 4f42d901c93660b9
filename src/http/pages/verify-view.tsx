import { formatFen } from "../../domain/money.ts";
import { bytesToBase64 } from "../../pki/index.ts";
import type { VerifiedUpload } from "../../usecases/index.ts";
import { href, type Lang, tr } from "./layout.tsx";
import { shanghaiTime } from "./public-edge.ts";
import { kindText, subIndicationText, verdictText } from "./verify-text.ts";

/** The upload form: one file, plus the content a detached .p7s covers. */
export function VerifyForm({ lang }: { lang: Lang }) {
  return (
    <form class="stack card" method="post" enctype="multipart/form-data" action={href(lang, "/verify")}>
      <label for="file">
        {tr(
          lang,
          "要核验的文件（电子文书 JSON、.p7s、凭证 PDF 或证据包 ZIP）",
          "File to verify (sealed JSON, .p7s, voucher PDF or evidence pack ZIP)",
        )}
      </label>
      <input type="file" id="file" name="file" required />
      <label for="content">{tr(lang, "被签内容（仅在上传 .p7s 时需要）", "Signed content (only with a .p7s)")}</label>
      <input type="file" id="content" name="content" />
      <p class="hint">
        {tr(lang, "文件只用于本次核验，不会保存。", "Files are used for this check only and are not stored.")}
      </p>
      <button type="submit">{tr(lang, "核验", "Verify")}</button>
    </form>
  );
}

const VERDICT_CLASS = { passed: "ok", failed: "bad", indeterminate: "warn" } as const;

/** The report as a JSON file the visitor keeps (a data: link: the CSP allows no script to build one). */
function DownloadJson({ lang, result }: { lang: Lang; result: VerifiedUpload }) {
  const json = new TextEncoder().encode(JSON.stringify(result, null, 2));
  return (
    <p>
      <a
        class="button secondary"
        id="report-json"
        download="verification-report.json"
        href={`data:application/json;base64,${bytesToBase64(json)}`}
      >
        {tr(lang, "下载验证报告（JSON）", "Download the report (JSON)")}
      </a>
    </p>
  );
}

export function VerifyResult({ lang, result }: { lang: Lang; result: VerifiedUpload }) {
  return (
    <>
      <p class={`verdict ${VERDICT_CLASS[result.verdict]}`} id="verdict" role="status">
        {verdictText(lang, result.verdict)}
      </p>
      {result.kind === "pdf" ? <PrintedNotice lang={lang} /> : null}
      {result.kind === "evidence-pack" ? (
        <PackFacts lang={lang} result={result} />
      ) : (
        <>
          <KeyFacts lang={lang} result={result} />
          <SealFacts lang={lang} result={result} />
        </>
      )}
      <DownloadJson lang={lang} result={result} />
    </>
  );
}

type Sealed = Exclude<VerifiedUpload, { kind: "evidence-pack" }>;

/** A printed PDF: only its attached sealed original was verified, never the text printed on the page. */
function PrintedNotice({ lang }: { lang: Lang }) {
  return (
    <p class="verdict warn" id="printed-notice">
      {tr(
        lang,
        "只核验了 PDF 所附的电子原件，未核验打印在纸面上的文字。请将纸面内容与下列原件要点逐项核对，不一致即以原件为准。",
        "Only the sealed original attached to the PDF was verified, not the printed text. Compare the paper with the original's key facts below; where they differ, the original prevails.",
      )}
    </p>
  );
}

/** The verified original's key facts, to compare with the paper (the person masked). */
function KeyFacts({ lang, result }: { lang: Lang; result: Sealed }) {
  const f = result.facts;
  if (!f || !result.document) return null;
  const row = (id: string, label: string, value: string | undefined) =>
    value === undefined ? null : (
      <>
        <dt>{label}</dt>
        <dd id={id}>{value}</dd>
      </>
    );
  return (
    <section class="card">
      <h2>{tr(lang, "原件要点", "The original's key facts")}</h2>
      <dl class="facts">
        {row("fact-type", tr(lang, "文书类型", "Type"), result.document.type)}
        {row("fact-id", tr(lang, "文书编号", "Document id"), result.document.id)}
        {row("fact-issuer", tr(lang, "签发机构", "Issuer"), f.issuer ?? result.document.from)}
        {row("fact-issued-at", tr(lang, "签发时间", "Issued at"), f.issuedAt)}
        {row("fact-person", tr(lang, "参保人员", "Person"), f.person && `${f.person.name} ${f.person.idNumber}`)}
        {row(
          "fact-account",
          tr(lang, "个人账户储存额", "Personal account"),
          f.personalAccountFen === undefined ? undefined : formatFen(f.personalAccountFen),
        )}
        {row(
          "fact-paid-months",
          tr(lang, "实际缴费月数", "Paid months"),
          f.paidMonths === undefined ? undefined : String(f.paidMonths),
        )}
      </dl>
    </section>
  );
}
type Pack = Extract<VerifiedUpload, { kind: "evidence-pack" }>;

function SealFacts({ lang, result }: { lang: Lang; result: Sealed }) {
  const { report, validation, document } = result;
  const problems = validation?.problems ?? [];
  return (
    <section class="card">
      <dl class="facts">
        <dt>{tr(lang, "文件类型", "Upload")}</dt>
        <dd>{kindText(lang, result.kind)}</dd>
        <dt>{tr(lang, "结论", "Indication")}</dt>
        <dd class="mono" id="indication">
          {report.indication}
        </dd>
        <dt>{tr(lang, "子结论", "Sub-indication")}</dt>
        <dd>
          <span class="mono" id="sub-indication">
            {report.subIndication ?? "—"}
          </span>
          {report.subIndication ? <div>{subIndicationText(lang, report.subIndication)}</div> : ""}
        </dd>
        <dt>{tr(lang, "签章人", "Signer")}</dt>
        <dd>{report.signer?.subject ?? "—"}</dd>
        <dt>{tr(lang, "机构", "Agency")}</dt>
        <dd>{report.signer?.agencyIds.join(", ") || document?.from || "—"}</dd>
        <dt>{tr(lang, "签章时间", "Signing time")}</dt>
        <dd>{report.signingTime ? `${shanghaiTime(report.signingTime)} (UTC+8)` : "—"}</dd>
        <dt>{tr(lang, "验证策略", "Policy")}</dt>
        <dd class="mono">{report.policy.name}</dd>
        <dt>{tr(lang, "文书", "Document")}</dt>
        <dd class="mono">{document ? `${document.type ?? "?"} ${document.id ?? ""}` : "—"}</dd>
        <dt>{tr(lang, "文书校验", "Document checks")}</dt>
        <dd id="validation">
          {!validation
            ? tr(lang, "内容不是 JSON 文书，未校验", "Content is not a JSON document; not checked")
            : validation.valid
              ? tr(lang, "符合格式与业务规则", "Conforms to the schema and rules")
              : tr(lang, `不符合：${problems.length} 个问题`, `Does not conform: ${problems.length} problem(s)`)}
        </dd>
      </dl>
      <CheckTable
        lang={lang}
        rows={[
          ...report.checks.map(
            (k): CheckRow => [k.id, k.subIndication ? `${k.status} · ${k.subIndication}` : k.status, k.detail],
          ),
          ...problems.map((p): CheckRow => [p.path || "/", `${p.severity} · ${p.code}`, p.message]),
        ]}
      />
    </section>
  );
}

function PackFacts({ lang, result }: { lang: Lang; result: Pack }) {
  const { pack, anchors, key } = result;
  const failed = pack.checks.filter((k) => k.status === "fail");
  const ordered = [...failed, ...pack.checks.filter((k) => k.status !== "fail")];
  return (
    <section class="card">
      <dl class="facts">
        <dt>{tr(lang, "文件类型", "Upload")}</dt>
        <dd>{kindText(lang, "evidence-pack")}</dd>
        <dt>{tr(lang, "案件", "Case")}</dt>
        <dd class="mono">{`${pack.caseId ?? "?"} · ${pack.agencyId ?? "?"}`}</dd>
        <dt>{tr(lang, "条目", "Items")}</dt>
        <dd>{String(pack.items)}</dd>
        <dt>{tr(lang, "未通过的检查", "Failed checks")}</dt>
        <dd id="pack-failures">{failed.length === 0 ? "0" : failed.map((k) => k.code).join(", ")}</dd>
        <dt>{tr(lang, "信任锚", "Trust anchors")}</dt>
        <dd id="anchors">
          {anchors.source === "gateway"
            ? tr(
                lang,
                `本网关的根证书：${anchors.subjects.join("；")}`,
                `This gateway's roots: ${anchors.subjects.join("; ")}`,
              )
            : tr(lang, "证据包自带的根证书（本网关未配置）", "The pack's own roots (none configured here)")}
        </dd>
        <dt>{tr(lang, "检查点公钥", "Checkpoint key")}</dt>
        <dd class="mono">{key.source === "gateway" ? (key.vkey ?? "") : tr(lang, "证据包自带", "the pack's own")}</dd>
      </dl>
      <CheckTable lang={lang} rows={ordered.map((k): CheckRow => [k.subject, `${k.status} · ${k.code}`, k.message])} />
    </section>
  );
}

/** Every check, folded: what was checked (monospace), its result and the detail. */
type CheckRow = readonly [what: string, result: string, detail: string | undefined];

function CheckTable({ lang, rows }: { lang: Lang; rows: CheckRow[] }) {
  return (
    <details>
      <summary>{tr(lang, "逐项检查", "Every check")}</summary>
      <div class="scroll">
        <table class="checks">
          <thead>
            <tr>
              <th>{tr(lang, "检查", "Check")}</th>
              <th>{tr(lang, "结果", "Result")}</th>
              <th>{tr(lang, "说明", "Detail")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([what, result, detail]) => (
              <tr>
                <td class="mono">{what}</td>
                <td>{result}</td>
                <td>{detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
