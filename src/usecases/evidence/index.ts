/** Evidence packs: export from the archive, and the offline verifier (no ports: it runs on the pack alone). */
export { exportEvidence } from "./export.ts";
export type { PackManifest } from "./format.ts";
export { verifyEvidencePack, type PackReport } from "./verify.ts";
export { PACK_INFLATE_FACTOR, type UnzipLimits } from "./unzip.ts";
