import { detectSealFormat } from "../pki/index.ts";

/**
 * The file extension of a seal as stored and carried (issue 16): `p7s` for CMS (CAdES, RFC 5652), as
 * always; `ses` for a GB/T 38540 SES_Signature, which is not CMS and must not be named as if it were.
 * The bytes are the same either way: only the name differs.
 */
export function sealFileExtension(seal: Uint8Array): "p7s" | "ses" {
  return detectSealFormat(seal) === "ses" ? "ses" : "p7s";
}
