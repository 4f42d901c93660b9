import { Hono } from "hono";
import { describeArchivedDocument, type ArchivedDocumentView } from "../../usecases/index.ts";
import type { HonoEnv } from "../env.ts";
import { href, langOf, Page, renderPage, tr, type Lang } from "./layout.tsx";

/**
 * `/v/<sha256>`: where the QR code of a printed copy leads (issue 13 item 2). Public: it re-verifies the
 * archived sealed original and proves its archive inclusion, showing only what the paper already shows
 * (name and ID number masked). Bad or unknown digests get the same plain answer, with no hint of a near miss.
 */
export const verifyArchived = new Hono<HonoEnv>();

verifyArchived.get("/v/:sha256", async (c) => {
  const lang = langOf(c);
  const sha = c.req.param("sha256");
  const self = `/v/${encodeURIComponent(sha)}`;
  if (!/^[0-9a-f]{64}$/.test(sha))
    return renderPage(c, <NotFound lang={lang} self={self} bad />, 400, "REQUEST_INVALID");
  const view = await describeArchivedDocument(c.var.gateway, sha);
  if (!view) return renderPage(c, <NotFound lang={lang} self={self} />, 404, "DOCUMENT_NOT_FOUND");
  return renderPage(c, <Verified lang={lang} self={self} view={view} />);
});

function NotFound({ lang, self, bad }: { lang: Lang; self: string; bad?: boolean }) {
  return (
    <Page lang={lang} title={tr(lang, "核验存档文书", "Verify an archived document")} self={self}>
      <p class="verdict warn">
        {bad
          ? tr(lang, "网址中的文书摘要格式不正确。", "The document digest in this address is not well formed.")
          : tr(lang, "本网关没有该摘要的存档文书。", "This gateway holds no archived document with this digest.")}
      </p>
      <p>
        {tr(lang, "请核对二维码或网址，或到", "Check the QR code or address, or upload the document at ")}
        <a href={href(lang, "/verify")}>{tr(lang, "核验电子文书", "Verify a document")}</a>
        {tr(lang, "页面上传文书核验。", ".")}
      </p>
    </Page>
  );
}

/** The headline: the use case's one outcome, with the seal's indication beside it. */
function verdictOf(lang: Lang, view: ArchivedDocumentView): { cls: string; text: string } {
  const v = view.verification;
  const sub = v.subIndication ? ` · ${v.subIndication}` : "";
  switch (view.outcome) {
    case "passed":
      return { cls: "ok", text: `${tr(lang, "核验通过", "Verified")} TOTAL_PASSED` };
    case "not-yet-included":
      return {
        cls: "warn",
        text: `${tr(lang, "签章有效", "Seal valid")} TOTAL_PASSED · ${tr(lang, "尚未能证明归档收录", "archive inclusion not yet provable")}`,
      };
    case "indeterminate":
      return { cls: "warn", text: `${tr(lang, "无法确定", "Indeterminate")} ${v.indication}${sub}` };
    default:
      return { cls: "bad", text: `${tr(lang, "核验未通过", "Verification failed")} ${failureOf(lang, view)}` };
  }
}

/** Every reason it failed, the seal's indication first (as the API reports it). */
function failureOf(lang: Lang, view: ArchivedDocumentView): string {
  const v = view.verification;
  return [
    v.indication === "TOTAL_FAILED" ? `TOTAL_FAILED${v.subIndication ? ` · ${v.subIndication}` : ""}` : "",
    view.digestMatches ? "" : tr(lang, "存档副本与摘要不符", "the stored copy does not match the digest"),
    view.archive?.included === false ? tr(lang, "未能证明收录", "inclusion not proved") : "",
  ]
    .filter(Boolean)
    .join(" · ");
}

function Verified({ lang, self, view }: { lang: Lang; self: string; view: ArchivedDocumentView }) {
  const verdict = verdictOf(lang, view);
  const a = view.archive;
  return (
    <Page lang={lang} title={tr(lang, "核验存档文书", "Verify an archived document")} self={self}>
      <p class={`verdict ${verdict.cls}`} role="status">
        {verdict.text}
      </p>
      <div class="card">
        <dl class="facts">
          <dt>{tr(lang, "签章机构", "Issuer")}</dt>
          <dd>{`${view.issuer.name}（${view.issuer.agencyId}）`}</dd>
          <dt>{tr(lang, "签发时间", "Issued at")}</dt>
          <dd>{view.issuedAt}</dd>
          <dt>{tr(lang, "文书类型", "Type")}</dt>
          <dd>{lang === "zh" ? `${view.typeTitle}（${view.type}）` : view.type}</dd>
          <dt>{tr(lang, "文书编号", "Document id")}</dt>
          <dd class="mono">{view.documentId}</dd>
          {view.person ? (
            <>
              <dt>{tr(lang, "参保人员", "Person")}</dt>
              <dd>{`${view.person.name} ${view.person.idNumber}`}</dd>
            </>
          ) : null}
          <dt>SHA-256</dt>
          <dd class="mono">{view.documentSha256}</dd>
          {view.digestMatches ? null : (
            <>
              <dt>{tr(lang, "存档副本", "Stored copy")}</dt>
              <dd>{tr(lang, "与摘要不符", "does not match the digest")}</dd>
            </>
          )}
          <dt>{tr(lang, "核验时间", "Verified at")}</dt>
          <dd>{view.verification.validationTime}</dd>
        </dl>
      </div>
      <h2>{tr(lang, "归档收录", "Archive inclusion")}</h2>
      <div class="card">
        <ArchiveFacts lang={lang} archive={a} />
      </div>
      <p class="hint">
        {tr(lang, "机器可读：", "Machine-readable: ")}
        {a?.checkpoint ? (
          <a href={`/v1/archive/proof/inclusion?index=${a.leafIndex}&treeSize=${a.checkpoint.treeSize}`}>
            {tr(lang, "包含证明（JSON）", "inclusion proof (JSON)")}
          </a>
        ) : null}
        {a?.checkpoint ? " · " : null}
        <a href="/v1/archive/checkpoint">{tr(lang, "签名检查点", "signed checkpoint")}</a>
        {" · "}
        <a href={href(lang, "/verify")}>{tr(lang, "上传文书核验", "verify an uploaded document")}</a>
      </p>
    </Page>
  );
}

function ArchiveFacts({ lang, archive }: { lang: Lang; archive: ArchivedDocumentView["archive"] }) {
  if (!archive) return <p>{tr(lang, "该文书未归档。", "This document is not in the archive.")}</p>;
  const cp = archive.checkpoint;
  return (
    <dl class="facts">
      <dt>{tr(lang, "归档序号", "Leaf index")}</dt>
      <dd>{archive.leafIndex}</dd>
      {cp ? (
        <>
          <dt>{tr(lang, "检查点规模", "Checkpoint size")}</dt>
          <dd>{cp.treeSize}</dd>
          <dt>{tr(lang, "检查点根", "Checkpoint root")}</dt>
          <dd class="mono">{cp.rootHex}</dd>
          <dt>{tr(lang, "收录证明", "Inclusion")}</dt>
          <dd>
            {archive.included
              ? tr(lang, "已证明收录", "proved included")
              : tr(
                  lang,
                  "未能证明收录（存档副本或检查点已改变）",
                  "not proved (the stored copy or checkpoint changed)",
                )}
          </dd>
        </>
      ) : (
        <>
          <dt>{tr(lang, "收录证明", "Inclusion")}</dt>
          <dd>{tr(lang, "尚未纳入已签名检查点", "not yet covered by a signed checkpoint")}</dd>
        </>
      )}
    </dl>
  );
}
