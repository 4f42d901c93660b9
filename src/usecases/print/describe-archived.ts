import { fromHex, parseCheckpoint, toHex, verifyInclusion } from "../../domain/archive/index.ts";
import { SCHEMAS } from "../../domain/documents/index.ts";
import { maskIdNumber, maskPersonName } from "../../domain/identifiers/index.ts";
import { rfc6962Hasher, sha256Hex, verifyNote } from "../../pki/index.ts";
import { inclusionProofFor } from "../archive/index.ts";
import { documentOf } from "../canonical.ts";
import type { GatewayDeps } from "../deps.ts";
import type { ArchiveReads, Committer, DocumentReads, DocumentRecord } from "../ports.ts";
import { archiveLeafOf } from "./archive-leaf.ts";
import { sealingAgency } from "./print-document.ts";

/** What the public page `/v/<sha256>` shows of an archived document (the QR code of a printed copy leads there). */
export interface ArchivedDocumentView {
  documentSha256: string;
  documentId: string;
  type: string;
  /** The type's Chinese name (the wire schema's title). */
  typeTitle: string;
  /** The envelope's issuedAt. */
  issuedAt: string;
  issuer: { agencyId: string; name: string };
  /** Name and ID number masked: the page is public. */
  person?: { name: string; idNumber: string };
  /** The seal verified now, over the stored copy. */
  verification: { indication: string; subIndication?: string; signingTime?: string; validationTime: string };
  /** The stored copy still hashes to the digest asked for. */
  digestMatches: boolean;
  /**
   * The archive leaf; with the latest checkpoint covering it, whether the stored copy proves in it — against
   * the root of the signed note, its signature checked with this gateway's own archive key (a note that does
   * not verify proves nothing: included false).
   */
  archive?: { leafIndex: number; checkpoint?: { treeSize: number; rootHex: string; at: string }; included?: boolean };
  /**
   * The one verdict the page leads with: `failed` whenever the stored copy is not the document the digest
   * names, its seal fails, or a covering checkpoint does not prove it; `not-yet-included` for a valid seal
   * that no signed checkpoint covers yet (nor one unarchived): never read as fully passed.
   */
  outcome: "passed" | "not-yet-included" | "indeterminate" | "failed";
}

type DescribeDeps = Pick<GatewayDeps, "verifier" | "clock" | "agencies" | "archiveSigner"> & {
  store: DocumentReads & ArchiveReads & Committer;
};

/**
 * Re-verify the archived original a printed copy names (issue 13 item 2): the stored copy's seal checked now,
 * its leaf found and — against the latest signed checkpoint — its inclusion proved from the stored bytes, so a
 * copy altered after archiving fails both. Unknown digests are undefined (the page answers a neutral 404).
 */
export async function describeArchivedDocument(
  deps: DescribeDeps,
  documentSha256: string,
): Promise<ArchivedDocumentView | undefined> {
  if (!/^[0-9a-f]{64}$/.test(documentSha256)) return undefined;
  const records = await deps.store.documentsBySha256(documentSha256);
  if (records.length === 0) return undefined;
  // Several agencies of this gateway may hold a copy (sender and recipient): the sealer's own first.
  const record = records.find((r) => r.direction === "out") ?? records[0]!;
  const document = documentOf<Record<string, unknown>>(record);
  const report = deps.verifier.verify(record.canonical, record.seal, deps.clock.now(), "seal");
  const person = personOf(document);
  const archive = await archiveView(deps, record);
  const digestMatches = sha256Hex(record.canonical) === documentSha256;
  return {
    documentSha256,
    documentId: record.documentId,
    type: record.type,
    typeTitle: titleOf(record.type),
    issuedAt: String(document.issuedAt ?? ""),
    issuer: sealingAgency(deps, document),
    ...(person ? { person: { name: maskPersonName(person.name), idNumber: maskIdNumber(person.idNumber) } } : {}),
    verification: {
      indication: report.indication,
      ...(report.subIndication ? { subIndication: report.subIndication } : {}),
      ...(report.signingTime ? { signingTime: report.signingTime } : {}),
      validationTime: report.validationTime,
    },
    digestMatches,
    ...(archive ? { archive } : {}),
    outcome: outcomeOf(report.indication, digestMatches, archive),
  };
}

function outcomeOf(
  indication: string,
  digestMatches: boolean,
  archive: ArchivedDocumentView["archive"],
): ArchivedDocumentView["outcome"] {
  if (!digestMatches || indication === "TOTAL_FAILED" || archive?.included === false) return "failed";
  if (indication !== "TOTAL_PASSED") return "indeterminate";
  return archive?.included ? "passed" : "not-yet-included";
}

/** The latest checkpoint as its signed note says, when the note verifies with this gateway's archive key. */
async function signedCheckpoint(deps: DescribeDeps) {
  const latest = await deps.store.archive.latestCheckpoint();
  const vkey = deps.archiveSigner?.verifierKey;
  if (!latest || !vkey) return undefined;
  try {
    const body = parseCheckpoint(verifyNote(latest.note, [vkey]).text);
    return { size: body.size, root: body.root, rootHex: toHex(body.root), at: latest.at, verified: true };
  } catch {
    return { size: latest.size, root: new Uint8Array(0), rootHex: latest.rootHex, at: latest.at, verified: false };
  }
}

async function archiveView(deps: DescribeDeps, record: DocumentRecord): Promise<ArchivedDocumentView["archive"]> {
  const leaf = await archiveLeafOf(deps, record);
  if (!leaf) return undefined;
  const latest = await signedCheckpoint(deps);
  if (!latest || leaf.index >= latest.size) return { leafIndex: leaf.index };
  if (!latest.verified)
    return {
      leafIndex: leaf.index,
      checkpoint: { treeSize: latest.size, rootHex: latest.rootHex, at: latest.at },
      included: false,
    };
  const checkpoint = { treeSize: latest.size, rootHex: latest.rootHex, at: latest.at };
  const proof = await inclusionProofFor(deps, { index: leaf.index, treeSize: latest.size });
  // The leaf hash of the bytes held now, not the stored one: an entry altered after archiving does not prove.
  const leafHash = rfc6962Hasher.hashLeaf(leaf.entry);
  let included = true;
  try {
    const path = proof.proof.map((h) => fromHex(h) ?? new Uint8Array(0));
    verifyInclusion(rfc6962Hasher, leaf.index, latest.size, leafHash, path, latest.root);
  } catch {
    included = false;
  }
  return { leafIndex: leaf.index, checkpoint, included };
}

function titleOf(type: string): string {
  const title = (SCHEMAS as Record<string, { title?: unknown } | undefined>)[type]?.title;
  return typeof title === "string" ? title : type;
}

function personOf(document: Record<string, unknown>): { name: string; idNumber: string } | undefined {
  const person = (document.body as { person?: { name?: unknown; idNumber?: unknown } } | undefined)?.person;
  return typeof person?.name === "string" && typeof person.idNumber === "string"
    ? { name: person.name, idNumber: person.idNumber }
    : undefined;
}
