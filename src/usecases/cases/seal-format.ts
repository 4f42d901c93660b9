/** PLACEHOLDER until ses-core lands: every seal counts as CAdES. */
export function sealFormatOf(_seal: Uint8Array): "cades" | "ses" | "unknown" {
  return "cades";
}
