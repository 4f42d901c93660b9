import { zipSync, type Zippable } from "fflate";
import { parseNote, parseCheckpoint } from "../domain/archive/index.ts";
import { certInfo } from "../pki/certificate.ts";
import { parseSignedData } from "../pki/cms-parse.ts";
import type { VerificationReport } from "../pki/report.ts";
import { cutCheckpoint, inclusionProofFor } from "./archive.ts";
import { canonicalBytes, decodeSeal, sha256Hex } from "./canonical.ts";
import type { GatewayDeps } from "./deps.ts";
import { GatewayError } from "./errors.ts";
import {
  PACK_FORMAT, PACK_VERSION, itemDir, type CertificateRole, type PackCertificate, type PackCrl, type PackItem, type PackManifest,
} from "./evidence-format.ts";
import type { ArchiveLeaf, CheckpointRecord, Principal } from "./ports.ts";
import { readableAgency } from "./principal.ts";

/**
 * Evidence pack export (issue 6 item 4): every archived document and receipt of one agency's view of
 * a case, with what it takes to check them offline years later — canonical bytes and seals, the
 * certificates and CRLs, verification reports, archive entries with RFC 9162 inclusion proofs, the
 * signed checkpoint they reach (cut now if needed) and the checkpoint key. Format: evidence-format.ts.
 */
export async function exportEvidence(deps: GatewayDeps, principal: Principal, caseId: string, agencyId?: string): Promise<Uint8Array> {
  const owner = readableAgency(principal, agencyId);
  if (!owner) throw new GatewayError("REQUEST_INVALID", "name the agency whose view of the case to export (?agency=)");
  if (!deps.archiveSigner) throw new GatewayError("NOT_FOUND", "this gateway keeps no signed archive");
  // Leaves first, then the checkpoint: a checkpoint cut afterwards covers every one of them.
  const leaves = await deps.store.archive.caseLeaves(owner, caseId);
  if (leaves.length === 0 && !(await deps.store.getCase(owner, caseId))) throw new GatewayError("CASE_NOT_FOUND", `no case ${caseId} for agency ${owner}`);
  const checkpoint = await coveringCheckpoint(deps, leaves);
  const files: Record<string, Uint8Array> = {};
  const certs = new Map<string, PackCertificate>();
  const addCert = (der: Uint8Array, role: CertificateRole) => {
    const sha256 = sha256Hex(der);
    if (certs.has(sha256)) return;
    const path = `certificates/${sha256}.der`;
    files[path] = der;
    certs.set(sha256, { path, sha256, role, subject: subjectOf(der) });
  };
  const material = deps.trustMaterial?.() ?? { anchors: [], intermediates: [], crls: [] };
  for (const der of material.anchors) addCert(der, "anchor");
  for (const der of material.intermediates) addCert(der, "intermediate");
  const crls: PackCrl[] = material.crls.map((der) => {
    const sha256 = sha256Hex(der);
    const path = `crls/${sha256}.crl`;
    files[path] = der;
    return { path, sha256 };
  });

  const items: PackItem[] = [];
  let policy: VerificationReport["policy"] | undefined;
  for (const leaf of leaves) {
    const { item, report, seal, received } = await packItem(deps, leaf, checkpoint, files);
    policy ??= report.policy;
    for (const der of embeddedCertificates(seal)) addCert(der, "embedded");
    files[item.paths.report] = json(report);
    if (received) files[item.paths.receivedReport!] = json(received);
    items.push(item);
  }
  const origin = parseCheckpoint(parseNote(checkpoint.note).text).origin;
  const manifest: PackManifest = {
    format: PACK_FORMAT, version: PACK_VERSION, caseId, agencyId: owner, generatedAt: deps.clock.now().toISOString(), generator: "jiexu",
    hash: "sha256", leafHashing: "RFC 9162 §2.1.1: leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ left ‖ right)",
    policy: policy ?? { name: "none", digest: "", revocation: "required" },
    checkpoint: { path: "checkpoint.txt", size: checkpoint.size, rootHex: checkpoint.rootHex, origin },
    verifierKey: { path: "checkpoint.vkey" },
    certificates: [...certs.values()], crls, items,
  };
  files["checkpoint.txt"] = new TextEncoder().encode(checkpoint.note);
  files["checkpoint.vkey"] = new TextEncoder().encode(deps.archiveSigner.verifierKey + "\n");
  files["manifest.json"] = json(manifest);
  const mtime = new Date(manifest.generatedAt);
  const zippable: Zippable = {};
  for (const [path, bytes] of Object.entries(files).sort(([a], [b]) => (a === "manifest.json" ? -1 : b === "manifest.json" ? 1 : a < b ? -1 : 1))) {
    zippable[path] = [bytes, { mtime }];
  }
  return zipSync(zippable, { level: 6 });
}

async function coveringCheckpoint(deps: GatewayDeps, leaves: ArchiveLeaf[]): Promise<CheckpointRecord> {
  const checkpoint = await cutCheckpoint(deps);
  const last = leaves.at(-1)?.index ?? -1;
  if (last >= checkpoint.size) throw new GatewayError("NOT_FOUND", `no checkpoint covers archive entry ${last}`);
  return checkpoint;
}

interface SealedEntry {
  meta: { kind: "document" | "receipt"; direction: "in" | "out"; documentId: string; type: string; from: string; to: string; recordedAt: string; documentSha256: string; sealSha256: string };
  sealed: { document: { id: string; replyTo?: string }; seal: string };
}

async function packItem(deps: GatewayDeps, leaf: ArchiveLeaf, checkpoint: CheckpointRecord, files: Record<string, Uint8Array>) {
  const entry = JSON.parse(new TextDecoder().decode(leaf.entry)) as SealedEntry;
  const { meta, sealed } = entry;
  const canonical = canonicalBytes(sealed.document);
  const seal = decodeSeal(sealed.seal);
  const dir = itemDir(leaf.index, meta.kind, meta.kind === "receipt" ? sealed.document.id : meta.documentId);
  const report = deps.verifier.verify(canonical, seal, new Date(meta.recordedAt), meta.kind === "receipt" ? "receipt" : "seal");
  const stored = meta.kind === "document" && meta.direction === "in"
    ? await deps.store.getDocument({ ownerAgency: leaf.ownerAgency, direction: "in", from: meta.from, documentId: meta.documentId })
    : undefined;
  const received = stored?.report;
  const proof = await inclusionProofFor(deps, { index: leaf.index, treeSize: checkpoint.size });
  const paths: PackItem["paths"] = {
    entry: `${dir}/entry.json`, document: `${dir}/document.json`, seal: `${dir}/seal.p7s`, report: `${dir}/report.json`,
    ...(received ? { receivedReport: `${dir}/report-received.json` } : {}),
  };
  files[paths.entry] = leaf.entry;
  files[paths.document] = canonical;
  files[paths.seal] = seal;
  const item: PackItem = {
    kind: meta.kind, documentId: meta.documentId, ...(meta.kind === "receipt" ? { receiptId: sealed.document.id } : {}),
    type: meta.type, direction: meta.direction, from: meta.from, to: meta.to,
    ...(sealed.document.replyTo ? { replyTo: sealed.document.replyTo } : {}),
    recordedAt: meta.recordedAt, leafIndex: leaf.index, leafHash: proof.leafHash, proof: proof.proof,
    documentSha256: sha256Hex(canonical), sealSha256: sha256Hex(seal),
    ...(meta.kind === "receipt" ? { acknowledges: { documentId: meta.documentId, documentSha256: meta.documentSha256, sealSha256: meta.sealSha256 } } : {}),
    paths,
  };
  return { item, report, seal, received };
}

function embeddedCertificates(seal: Uint8Array): Uint8Array[] {
  try {
    return parseSignedData(seal).certificates;
  } catch {
    return [];
  }
}

function subjectOf(der: Uint8Array): string {
  try {
    return certInfo(der).subject;
  } catch {
    return "(unparsable certificate)";
  }
}

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value, null, 2) + "\n");
}
