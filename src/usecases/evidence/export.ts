import { zipSync, type Zippable } from "fflate";
import { parseNote, parseCheckpoint } from "../../domain/archive/index.ts";
import { certInfo, parseSignedData, type VerificationReport } from "../../pki/index.ts";
import { cutCheckpoint, inclusionProofFor, readArchiveEntry, type ArchiveMeta } from "../archive/index.ts";
import { canonicalBytes, decodeSeal, sha256Hex } from "../canonical.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import { sealFileExtension } from "../seal-format.ts";
import { CASE_INDEX_KIND, parseCaseIndex, type CaseIndex } from "../case-index.ts";
import {
  PACK_FORMAT,
  PACK_VERSION,
  itemDir,
  type CertificateRole,
  type PackCaseIndex,
  type PackCertificate,
  type PackCrl,
  type PackItem,
  type PackManifest,
} from "./format.ts";
import { formatStatement } from "./statement.ts";
import type {
  ArchiveLeaf,
  ArchiveReads,
  CaseReads,
  CheckpointRecord,
  Committer,
  DocumentReads,
  Principal,
} from "../ports.ts";
import { readableAgency } from "../principal.ts";

/**
 * Evidence pack export (issue 6 item 4): every archived document and receipt of one agency's view of
 * a case, with what it takes to check them offline years later — canonical bytes and seals, the
 * certificates and CRLs, verification reports, archive entries with RFC 9162 inclusion proofs, the
 * signed checkpoint they reach (cut now if needed) and the checkpoint key. Format: format.ts.
 * The items are exactly those the case's latest case-index leaf lists, and the gateway signs a
 * statement that this index is the latest one in the checkpoint's tree (issue 9 item 10).
 */
/** What an export touches: archive, case and document reads, one commit (index and checkpoint), keys and trust. */
export type ExportDeps = Pick<GatewayDeps, "archiveSigner" | "clock" | "trustMaterial" | "verifier"> & {
  store: ArchiveReads & CaseReads & DocumentReads & Committer;
};

export async function exportEvidence(
  deps: ExportDeps,
  principal: Principal,
  caseId: string,
  agencyId?: string,
): Promise<Uint8Array> {
  const owner = readableAgency(principal, agencyId);
  if (!owner) throw new GatewayError("REQUEST_INVALID", "name the agency whose view of the case to export (?agency=)");
  if (!deps.archiveSigner) throw new GatewayError("NOT_FOUND", "this gateway keeps no signed archive");
  const { checkpoint, index, listed, leaves } = await indexedLeaves(deps, owner, caseId);
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
  const generatedAt = deps.clock.now().toISOString();
  const caseIndex = await packIndex(deps, index, listed, checkpoint);
  files[caseIndex.path] = index.entry;
  const statement = formatStatement({
    origin,
    caseId,
    agencyId: owner,
    generatedAt,
    checkpoint: { size: checkpoint.size, rootHex: checkpoint.rootHex },
    caseIndex: { leafIndex: caseIndex.leafIndex, leafHash: caseIndex.leafHash },
  });
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    version: PACK_VERSION,
    caseId,
    agencyId: owner,
    generatedAt,
    generator: "jiexu",
    hash: "sha256",
    leafHashing: "RFC 9162 §2.1.1: leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ left ‖ right)",
    policy: policy ?? { name: "none", digest: "", revocation: "required" },
    checkpoint: { path: "checkpoint.txt", size: checkpoint.size, rootHex: checkpoint.rootHex, origin },
    verifierKey: { path: "checkpoint.vkey" },
    certificates: [...certs.values()],
    crls,
    items,
    caseIndex,
    statement: { path: "statement.txt" },
  };
  files["statement.txt"] = new TextEncoder().encode(deps.archiveSigner.sign(statement));
  files["checkpoint.txt"] = new TextEncoder().encode(checkpoint.note);
  files["checkpoint.vkey"] = new TextEncoder().encode(deps.archiveSigner.verifierKey + "\n");
  files["manifest.json"] = json(manifest);
  const mtime = new Date(manifest.generatedAt);
  const zippable: Zippable = {};
  for (const [path, bytes] of Object.entries(files).sort(([a], [b]) =>
    a === "manifest.json" ? -1 : b === "manifest.json" ? 1 : a < b ? -1 : 1,
  )) {
    zippable[path] = [bytes, { mtime }];
  }
  return zipSync(zippable, { level: 6 });
}

/**
 * The checkpoint, the case's latest index leaf in its tree and the items that index lists. A case
 * archived before case indexes existed gets one now (built in the store's transaction like any
 * other). The checkpoint is cut before the leaves are read, so "latest below its size" is a fact.
 */
async function indexedLeaves(deps: ExportDeps, owner: string, caseId: string) {
  const before = await deps.store.archive.caseLeaves(owner, caseId);
  if (before.length === 0 && !(await deps.store.getCase(owner, caseId)))
    throw new GatewayError("CASE_NOT_FOUND", `no case ${caseId} for agency ${owner}`);
  if (before.at(-1)?.kind !== CASE_INDEX_KIND)
    await deps.store.commit({ indexCases: [{ ownerAgency: owner, caseId, at: deps.clock.now().toISOString() }] });
  const checkpoint = await cutCheckpoint(deps);
  const inTree = (await deps.store.archive.caseLeaves(owner, caseId)).filter((l) => l.index < checkpoint.size);
  const index = inTree.findLast((l) => l.kind === CASE_INDEX_KIND);
  if (!index) throw new GatewayError("NOT_FOUND", `no checkpoint covers the case index of ${caseId}`);
  const listed = parseCaseIndex(index.entry);
  if (typeof listed === "string") throw new Error(`case index at leaf ${index.index} is unreadable: ${listed}`);
  const wanted = new Set(listed.items.map((i) => i.leafIndex));
  return { checkpoint, index, listed, leaves: inTree.filter((l) => wanted.has(l.index)) };
}

async function packIndex(
  deps: ExportDeps,
  index: ArchiveLeaf,
  parsed: CaseIndex,
  checkpoint: CheckpointRecord,
): Promise<PackCaseIndex> {
  const proof = await inclusionProofFor(deps, { index: index.index, treeSize: checkpoint.size });
  return {
    path: "case-index.json",
    leafIndex: index.index,
    leafHash: proof.leafHash,
    proof: proof.proof,
    status: parsed.meta.status,
    count: parsed.meta.count,
    recordedAt: parsed.meta.recordedAt,
  };
}

interface SealedEntry {
  meta: ArchiveMeta;
  sealed: { document: { id: string; replyTo?: string }; seal: string };
}

async function packItem(
  deps: ExportDeps,
  leaf: ArchiveLeaf,
  checkpoint: CheckpointRecord,
  files: Record<string, Uint8Array>,
) {
  const read = readArchiveEntry(leaf.entry);
  if (!read.ok) throw new Error(`archive entry at leaf ${leaf.index} is unreadable: ${read.reason}`);
  const { meta, sealed } = read.entry as unknown as SealedEntry;
  const canonical = canonicalBytes(sealed.document);
  const seal = decodeSeal(sealed.seal);
  const dir = itemDir(leaf.index, meta.kind, meta.kind === "receipt" ? sealed.document.id : meta.documentId);
  const report = deps.verifier.verify(
    canonical,
    seal,
    new Date(meta.recordedAt),
    meta.kind === "receipt" ? "receipt" : "seal",
  );
  const stored =
    meta.kind === "document" && meta.direction === "in"
      ? await deps.store.getDocument({
          ownerAgency: leaf.ownerAgency,
          direction: "in",
          from: meta.from,
          documentId: meta.documentId,
        })
      : undefined;
  const received = stored?.report;
  const proof = await inclusionProofFor(deps, { index: leaf.index, treeSize: checkpoint.size });
  const paths: PackItem["paths"] = {
    entry: `${dir}/entry.json`,
    document: `${dir}/document.json`,
    seal: `${dir}/seal.${sealFileExtension(seal)}`,
    report: `${dir}/report.json`,
    ...(received ? { receivedReport: `${dir}/report-received.json` } : {}),
  };
  files[paths.entry] = leaf.entry;
  files[paths.document] = canonical;
  files[paths.seal] = seal;
  const item: PackItem = {
    kind: meta.kind,
    documentId: meta.documentId,
    ...(meta.kind === "receipt" ? { receiptId: sealed.document.id } : {}),
    type: meta.type,
    direction: meta.direction,
    from: meta.from,
    to: meta.to,
    ...(sealed.document.replyTo ? { replyTo: sealed.document.replyTo } : {}),
    recordedAt: meta.recordedAt,
    leafIndex: leaf.index,
    leafHash: proof.leafHash,
    proof: proof.proof,
    documentSha256: sha256Hex(canonical),
    sealSha256: sha256Hex(seal),
    ...(meta.kind === "receipt"
      ? {
          acknowledges: {
            documentId: meta.documentId,
            documentSha256: meta.documentSha256,
            sealSha256: meta.sealSha256,
          },
        }
      : {}),
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
