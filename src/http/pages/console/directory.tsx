import { Hono } from "hono";
import {
  EXPIRY_WARNING_DAYS,
  readTrustOverview,
  type CertificateFacts,
  type DirectoryFacts,
} from "../../../usecases/index.ts";
import type { HonoEnv } from "../../env.ts";
import { tr, type Lang } from "../layout.tsx";
import { shanghaiTime } from "../public-edge.ts";
import { CrlTable, CrlWarnings, ExpiryBadge } from "./trust-parts.tsx";
import { nameOf } from "./labels.ts";
import { ConsolePage, WideTable, answerPage, toLogin, signedIn, type Signed } from "./shell.tsx";

/**
 * Directory and certificates (issue 13 item 4): this agency's seal and receipt certificates, the trust anchors,
 * and the signed directory with every listed certificate, each warned about (badge and words) from 30 days
 * before it expires.
 */
export const consoleDirectory = new Hono<HonoEnv>();

consoleDirectory.get("/console/directory", async (c) => {
  const signed = await signedIn(c);
  if (!signed) return toLogin(c);
  const overview = readTrustOverview(c.var.gateway, signed.principal);
  return answerPage(
    c,
    <ConsolePage
      signed={signed}
      title={tr(signed.lang, "目录与证书", "Directory and certificates")}
      self="/console/directory"
    >
      <Warnings signed={signed} certificates={overview.certificates} directory={overview.directory} />
      <CrlWarnings lang={signed.lang} crls={overview.crls} />
      <h2>{tr(signed.lang, "本机构与信任锚证书", "This agency's and the trust anchors' certificates")}</h2>
      <CertificateTable lang={signed.lang} certificates={overview.certificates} />
      <h2>{tr(signed.lang, "证书吊销列表（CRL）", "Certificate revocation lists (CRLs)")}</h2>
      <CrlTable lang={signed.lang} crls={overview.crls} />
      <h2>{tr(signed.lang, "机构目录", "Directory")}</h2>
      <DirectorySection signed={signed} directory={overview.directory} />
    </ConsolePage>,
  );
});

const ROLES: Record<string, readonly [string, string]> = {
  seal: ["印章证书", "Seal"],
  receipt: ["回执证书", "Receipt"],
  anchor: ["根证书（信任锚）", "Trust anchor"],
  intermediate: ["中间证书", "Intermediate"],
};

function Warnings(props: { signed: Signed; certificates: CertificateFacts[]; directory: DirectoryFacts | null }) {
  const { lang } = props.signed;
  const own = props.signed.principal.agencyId;
  const listed = props.directory?.agencies.find((a) => a.id === own)?.certificates ?? [];
  const problems = [
    ...props.certificates.filter((c) => c.expiry !== "valid").map((c) => ({ what: nameOf(ROLES, c.role, lang), ...c })),
    ...listed
      .filter((c) => c.expiry !== "valid")
      .map((c) => ({ what: tr(lang, `目录所列${ROLES[c.role]![0]}`, `Listed ${c.role} certificate`), ...c })),
    ...(props.directory && props.directory.expiry !== "valid"
      ? [{ what: tr(lang, "机构目录", "The directory"), ...props.directory, notAfter: props.directory.expiresAt }]
      : []),
  ];
  if (problems.length === 0)
    return (
      <p class="verdict ok" role="status">
        {tr(
          lang,
          `证书与目录均在 ${EXPIRY_WARNING_DAYS} 天以上有效。`,
          `Every certificate and the directory stay valid for more than ${EXPIRY_WARNING_DAYS} days.`,
        )}
      </p>
    );
  return (
    <div class="verdict warn console-box" role="alert">
      <p>{tr(lang, "请及时更新以下证书或目录：", "Renew these in time:")}</p>
      <ul>
        {problems.map((p) => (
          <li>
            {p.what}: {p.expiry === "expired" ? tr(lang, "已于", "expired on ") : tr(lang, "将于", "expires on ")}
            {shanghaiTime(p.notAfter)}
            {p.expiry === "expired"
              ? tr(lang, "过期", "")
              : tr(lang, `到期（剩 ${p.daysLeft} 天）`, ` (${p.daysLeft} days)`)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function CertificateTable({ lang, certificates }: { lang: Lang; certificates: CertificateFacts[] }) {
  return (
    <WideTable
      heads={[
        tr(lang, "用途", "Role"),
        tr(lang, "主体", "Subject"),
        tr(lang, "有效期至", "Valid until"),
        tr(lang, "状态", "State"),
      ]}
    >
      {certificates.map((c) => (
        <tr>
          <td>{nameOf(ROLES, c.role, lang)}</td>
          <td>
            {c.subject}
            <br />
            <span class="mono hint">{c.sha256}</span>
          </td>
          <td>{shanghaiTime(c.notAfter)}</td>
          <td>
            <ExpiryBadge lang={lang} expiry={c.expiry} left={c.daysLeft} unit="days" />
          </td>
        </tr>
      ))}
    </WideTable>
  );
}

function DirectorySection({ signed, directory }: { signed: Signed; directory: DirectoryFacts | null }) {
  const { lang } = signed;
  if (!directory)
    return (
      <p class="card">
        {tr(
          lang,
          "本网关未配置机构目录：只与本网关托管的机构往来。",
          "No directory is configured: this gateway only exchanges between the agencies it hosts.",
        )}
      </p>
    );
  return (
    <>
      <dl class="facts card">
        <dt>{tr(lang, "发布方", "Operator")}</dt>
        <dd>{directory.operator}</dd>
        <dt>{tr(lang, "序号", "Sequence")}</dt>
        <dd>{directory.sequence}</dd>
        <dt>{tr(lang, "签发时间", "Issued")}</dt>
        <dd>{shanghaiTime(directory.issuedAt)}</dd>
        <dt>{tr(lang, "有效期至", "Expires")}</dt>
        <dd>
          {shanghaiTime(directory.expiresAt)}{" "}
          <ExpiryBadge lang={lang} expiry={directory.expiry} left={directory.daysLeft} unit="days" />
        </dd>
      </dl>
      <WideTable
        heads={[tr(lang, "机构", "Agency"), tr(lang, "网关", "Gateway"), tr(lang, "所列证书", "Listed certificates")]}
      >
        {directory.agencies.map((a) => (
          <tr>
            <td>
              {a.name} ({a.id})
            </td>
            <td class="mono">{a.gatewayUrl}</td>
            <td>
              <div>
                {tr(lang, "签章格式", "Seal formats")}:{" "}
                {a.sealFormats.map((f) => (f === "ses" ? "GB/T 38540" : "CAdES")).join(" + ")}
              </div>
              {a.certificates.map((c) => (
                <div>
                  {nameOf(ROLES, c.role, lang)} {tr(lang, "至", "until")} {shanghaiTime(c.notAfter)}{" "}
                  <ExpiryBadge lang={lang} expiry={c.expiry} left={c.daysLeft} unit="days" />
                </div>
              ))}
            </td>
          </tr>
        ))}
      </WideTable>
    </>
  );
}
