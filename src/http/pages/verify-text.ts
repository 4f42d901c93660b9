import type { SubIndication } from "../../pki/index.ts";
import type { UploadKind, UploadVerdict } from "../../usecases/index.ts";
import { type Lang, tr } from "./layout.tsx";

/**
 * The compliance page's words (issue 13 item 3): the verdict line and a plain explanation of every
 * sub-indication the seal engine reports (src/pki/report.ts, ETSI TS 119 102-1 with DSS's vocabulary).
 */
type Words = readonly [zh: string, en: string];

const VERDICT: Record<UploadVerdict, Words> = {
  passed: ["核验通过", "Verification passed"],
  failed: ["核验未通过", "Verification failed"],
  indeterminate: ["无法确定", "Cannot be determined"],
};

export const verdictText = (lang: Lang, v: UploadVerdict): string => tr(lang, ...VERDICT[v]);

const SUB: Record<SubIndication, Words> = {
  FORMAT_FAILURE: ["签章文件格式不正确，无法读取。", "The seal is not in a readable format."],
  HASH_FAILURE: [
    "文书内容在盖章后被改动过：摘要与签章所覆盖的不一致。",
    "The document was changed after it was sealed: its digest differs from what the seal covers.",
  ],
  SIG_CRYPTO_FAILURE: [
    "签名数学校验失败：签章不是用所示证书的密钥作出的，或已损坏。",
    "The signature does not verify: it was not made with the key of the certificate shown, or is damaged.",
  ],
  REVOKED: ["签章证书已被吊销。", "The sealing certificate has been revoked."],
  SIG_CONSTRAINTS_FAILURE: [
    "签章不满足验证策略的要求（例如缺少必需的签名属性）。",
    "The seal does not meet the validation policy (for example a required signed attribute is missing).",
  ],
  CHAIN_CONSTRAINTS_FAILURE: [
    "证书链不满足策略要求（例如证书用途或路径长度不符）。",
    "The certificate chain breaks a policy constraint (such as key usage or path length).",
  ],
  CERTIFICATE_CHAIN_GENERAL_FAILURE: ["证书链验证失败。", "The certificate chain could not be validated."],
  CRYPTO_CONSTRAINTS_FAILURE: [
    "所用算法或密钥长度已不被接受。",
    "The algorithm or key size used is no longer accepted.",
  ],
  NO_SIGNING_CERTIFICATE_FOUND: ["找不到签章所用的证书。", "The certificate that made the seal could not be found."],
  NO_CERTIFICATE_CHAIN_FOUND: [
    "签章证书无法追溯到本网关信任的根证书。",
    "The sealing certificate does not lead to a root this gateway trusts.",
  ],
  REVOKED_NO_POE: [
    "签章证书已被吊销，且无法证明签章早于吊销时间。",
    "The sealing certificate was revoked and nothing proves the seal predates the revocation.",
  ],
  REVOKED_CA_NO_POE: ["签发证书的机构证书已被吊销。", "A certificate authority in the chain was revoked."],
  OUT_OF_BOUNDS_NO_POE: [
    "签章时间不在证书有效期内（证书已过期或尚未生效），且无法证明签章早于过期。",
    "The seal falls outside the certificate's validity period and nothing proves it was made in time.",
  ],
  OUT_OF_BOUNDS_NOT_REVOKED: ["证书已过有效期（未被吊销）。", "The certificate has expired (it was not revoked)."],
  NOT_YET_VALID: ["签章时证书尚未生效。", "The certificate was not yet valid when the seal was made."],
  TRY_LATER: [
    "暂时取不到证书吊销信息，请稍后再核验。",
    "Revocation information is not available right now; verify again later.",
  ],
  SIGNED_DATA_NOT_FOUND: ["签章未覆盖任何内容，或找不到被签内容。", "The seal covers no content, or it is missing."],
};

export const subIndicationText = (lang: Lang, s: SubIndication | undefined): string =>
  s ? tr(lang, ...(SUB[s] ?? ["其他原因。", "Another reason."])) : "";

const KIND: Record<UploadKind, Words> = {
  "sealed-json": ["电子文书（JSON）", "Sealed document (JSON)"],
  p7s: [
    "签章文件（.p7s 或 GB/T 38540 电子签章）及其内容",
    "Seal file (.p7s or GB/T 38540 SES signature) with its content",
  ],
  pdf: ["打印版 PDF（所附电子原件）", "Printed PDF (its attached sealed original)"],
  "evidence-pack": ["证据包（ZIP）", "Evidence pack (ZIP)"],
};

export const kindText = (lang: Lang, k: UploadKind): string => tr(lang, ...KIND[k]);
