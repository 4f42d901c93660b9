import { createHash } from "node:crypto";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseNote } from "../../../src/domain/archive/index.ts";
import { generateNoteKey, signNote } from "../../../src/pki/note-signer.ts";
import { inclusionProofFor } from "../../../src/usecases/archive/log.ts";
import { parseCaseIndex } from "../../../src/usecases/case-index.ts";
import { registerApplication } from "../../../src/usecases/index.ts";
import { exportEvidence } from "../../../src/usecases/evidence/export.ts";
import type { PackItem, PackManifest } from "../../../src/usecases/evidence/format.ts";
import { verifyEvidencePack, type PackReport } from "../../../src/usecases/evidence/verify.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";
import { walkTransfer } from "../../support/transfer-walk.ts";

type Files = Record<string, Uint8Array>;

function edit(zip: Uint8Array, change: (files: Files, manifest: PackManifest) => void): Uint8Array {
  const files = unzipSync(zip);
  const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as PackManifest;
  change(files, manifest);
  files["manifest.json"] = strToU8(JSON.stringify(manifest));
  return zipSync(files);
}

const failures = (r: PackReport) => r.checks.filter((c) => c.status === "fail").map((c) => `${c.subject} ${c.code}`);

/** Drop items (and their files) from a pack, as someone truncating it would. */
function drop(zip: Uint8Array, which: (item: PackItem) => boolean): Uint8Array {
  return edit(zip, (files, m) => {
    for (const item of m.items.filter(which)) for (const path of Object.values(item.paths)) delete files[path];
    m.items = m.items.filter((i) => !which(i));
  });
}

describe("evidence packs", () => {
  let gw: TestGateway;
  let caseId: string;
  let zip: Uint8Array;
  let manifest: PackManifest;
  let vkey: string;

  // One walked transfer and its pack, shared: the tests only read them (packs are edited as copies). The
  // one test that writes to an archive has a gateway of its own.
  beforeAll(async () => {
    gw = await createTestGateway();
    caseId = await walkTransfer(gw);
    zip = await exportEvidence(gw.deps, gw.principal("330000"), caseId);
    manifest = JSON.parse(strFromU8(unzipSync(zip)["manifest.json"]!));
    vkey = gw.deps.archiveSigner!.verifierKey;
  });
  afterAll(async () => gw.close());

  it("holds every document and receipt of the agency's view, with proofs against a covering checkpoint", () => {
    expect(manifest.caseId).toBe(caseId);
    expect(manifest.agencyId).toBe("330000");
    const docs = manifest.items.filter((i) => i.kind === "document").map((i) => i.type);
    expect(docs).toEqual([
      "contact-letter",
      "insurance-record",
      "fund-transfer",
      "completion",
      "business-receipt",
      "business-receipt",
    ]);
    expect(manifest.items.filter((i) => i.kind === "receipt")).toHaveLength(docs.length);
    expect(Math.max(...manifest.items.map((i) => i.leafIndex))).toBeLessThan(manifest.checkpoint.size);
    expect(manifest.certificates.map((c) => c.role)).toEqual(
      expect.arrayContaining(["anchor", "intermediate", "embedded"]),
    );
    expect(manifest.crls.length).toBeGreaterThan(0);
    const files = unzipSync(zip);
    for (const item of manifest.items) for (const p of Object.values(item.paths)) expect(files[p], p).toBeDefined();
  });

  it("verifies offline with the pack's own material, and says so", () => {
    const report = verifyEvidencePack(zip);
    expect(failures(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.trust).toBe("pack");
    expect(report.checks.map((c) => c.code)).toEqual(
      expect.arrayContaining(["TRUST_FROM_PACK", "KEY_FROM_PACK", "CHECKPOINT_OK", "CHAIN_OK"]),
    );
  });

  it("verifies with the verifier's own root and key", () => {
    const report = verifyEvidencePack(zip, { trustAnchors: [gw.pki.root.certificateDer], verifierKey: vkey });
    expect(report.ok).toBe(true);
    expect([report.trust, report.key]).toEqual(["supplied", "supplied"]);
    expect(report.checks.some((c) => c.code === "TRUST_FROM_PACK" || c.code === "KEY_FROM_PACK")).toBe(false);
  });

  it("refuses seals under a root the verifier does not trust", () => {
    const report = verifyEvidencePack(zip, { trustAnchors: [gw.pki.operator.certificateDer] });
    expect(report.ok).toBe(false);
    const seals = report.checks.filter((c) => c.subject.startsWith("document:") && c.code.startsWith("SEAL_"));
    expect(seals.length).toBeGreaterThan(0);
    expect(seals.every((c) => c.status === "fail" && c.code !== "SEAL_OK")).toBe(true);
  });

  it("detects a changed document byte", () => {
    const letter = manifest.items.find((i) => i.type === "contact-letter")!;
    const bad = edit(zip, (files) => {
      const bytes = files[letter.paths.document]!;
      bytes[bytes.length - 10]! ^= 0x01;
    });
    const report = verifyEvidencePack(bad);
    expect(report.ok).toBe(false);
    expect(failures(report)).toEqual(
      expect.arrayContaining([
        `document:${letter.documentId} SEAL_HASH_FAILURE`,
        `document:${letter.documentId} ENTRY_MISMATCH`,
      ]),
    );
  });

  it("detects a swapped receipt", () => {
    const [a, b] = manifest.items.filter((i) => i.kind === "receipt");
    const bad = edit(zip, (_files, m) => {
      const [ia, ib] = [
        m.items.find((i) => i.leafIndex === a!.leafIndex)!,
        m.items.find((i) => i.leafIndex === b!.leafIndex)!,
      ];
      [ia.paths, ib.paths] = [ib.paths, ia.paths];
    });
    const report = verifyEvidencePack(bad);
    expect(failures(report)).toEqual(
      expect.arrayContaining([`receipt:${a!.documentId} RECEIPT_SWAPPED`, `receipt:${b!.documentId} RECEIPT_SWAPPED`]),
    );
  });

  it("detects a wrong proof hash", () => {
    const target = manifest.items.find((i) => i.proof.length > 0)!;
    const bad = edit(zip, (_files, m) => {
      const item = m.items.find((i) => i.leafIndex === target.leafIndex)!;
      item.proof[0] = (item.proof[0]!.startsWith("0") ? "1" : "0") + item.proof[0]!.slice(1);
    });
    const report = verifyEvidencePack(bad);
    expect(failures(report)).toEqual([`leaf:${target.leafIndex} INCLUSION_FAILED`]);
  });

  it("detects a checkpoint signed by another key", () => {
    const bad = edit(zip, (files) => {
      const text = parseNote(strFromU8(files["checkpoint.txt"]!)).text;
      files["checkpoint.txt"] = strToU8(
        signNote(text, { name: manifest.checkpoint.origin, privateKey: generateNoteKey() }),
      );
    });
    expect(failures(verifyEvidencePack(bad))).toEqual(["checkpoint CHECKPOINT_UNKNOWN_KEY"]);
    expect(
      failures(verifyEvidencePack(zip, { verifierKey: vkey.replace(/.$/, (c) => (c === "A" ? "B" : "A")) })).length,
    ).toBeGreaterThan(0);
  });

  it("detects an entry that is no longer in the log", () => {
    const item = manifest.items[2]!;
    const bad = edit(zip, (files) => {
      const text = strFromU8(files[item.paths.entry]!).replace('"recordedAt":"', '"recordedAt":"1');
      files[item.paths.entry] = strToU8(text);
    });
    const codes = failures(verifyEvidencePack(bad));
    expect(codes).toEqual(
      expect.arrayContaining([
        `leaf:${item.leafIndex} LEAF_HASH_MISMATCH`,
        `leaf:${item.leafIndex} INCLUSION_FAILED`,
        `${item.kind}:${item.documentId} META_MISMATCH`,
      ]),
    );
  });

  it("detects a document missing from the case's chain", () => {
    const letter = manifest.items.find((i) => i.type === "contact-letter")!;
    const bad = edit(zip, (_files, m) => void (m.items = m.items.filter((i) => i.leafIndex !== letter.leafIndex)));
    const codes = failures(verifyEvidencePack(bad));
    expect(codes).toEqual(
      expect.arrayContaining([
        "chain CHAIN_ORDER",
        "chain REPLY_UNRESOLVED",
        `receipt:${letter.documentId} RECEIPT_ORPHAN`,
      ]),
    );
  });

  it("a pack with the completion and its receipts removed fails verification (issue 9 item 10)", () => {
    const completion = manifest.items.find((i) => i.type === "completion")!;
    const acks = manifest.items
      .filter((i) => i.type === "business-receipt" && i.replyTo === completion.documentId)
      .map((i) => i.documentId);
    expect(acks).toHaveLength(1);
    const gone = (i: PackItem) => i.documentId === completion.documentId || acks.includes(i.documentId);
    const removed = manifest.items.filter(gone).length;
    expect(removed).toBe(4);
    const report = verifyEvidencePack(drop(zip, gone), {
      trustAnchors: [gw.pki.root.certificateDer],
      verifierKey: vkey,
    });
    expect(report.ok).toBe(false);
    expect(failures(report)).toEqual(Array(removed).fill("index ITEM_MISSING"));
  });

  it("a pack missing one transport receipt fails (issue 9 item 10)", () => {
    const receipt = manifest.items.find((i) => i.kind === "receipt" && i.type === "receipt")!;
    const report = verifyEvidencePack(drop(zip, (i) => i.leafIndex === receipt.leafIndex));
    expect(failures(report)).toEqual(["index ITEM_MISSING"]);
    expect(report.checks.find((c) => c.code === "ITEM_MISSING")!.message).toContain(`leaf ${receipt.leafIndex}`);
    expect(report.checks.filter((c) => c.status === "warn").map((c) => c.code)).toContain("RECEIPT_MISSING");
  });

  it("an older index substituted fails (issue 9 item 10)", async () => {
    const older = (await gw.deps.store.archive.caseLeaves("330000", caseId)).find((l) => l.kind === "case-index")!;
    const parsed = parseCaseIndex(older.entry);
    if (typeof parsed === "string") throw new Error(parsed);
    const keep = new Set(parsed.items.map((i) => i.leafIndex));
    const proof = await inclusionProofFor(gw.deps, { index: older.index, treeSize: manifest.checkpoint.size });
    const substituted = edit(
      drop(zip, (i) => !keep.has(i.leafIndex)),
      (files, m) => {
        files[m.caseIndex.path] = older.entry;
        m.caseIndex = {
          ...m.caseIndex,
          leafIndex: older.index,
          leafHash: proof.leafHash,
          proof: proof.proof,
          status: parsed.meta.status,
          count: parsed.meta.count,
          recordedAt: parsed.meta.recordedAt,
        };
      },
    );
    const report = verifyEvidencePack(substituted, { verifierKey: vkey });
    expect(report.checks.find((c) => c.code === "INCLUSION_OK" && c.subject === `leaf:${older.index}`)).toBeDefined();
    expect(failures(report)).toEqual(["index STATEMENT_MISMATCH", "index STATEMENT_MISMATCH"]);
    expect(failures(verifyEvidencePack(edit(substituted, (files) => void delete files["statement.txt"])))).toEqual([
      "index STATEMENT_MISSING",
    ]);
    const forged = edit(substituted, (files) => {
      const text = parseNote(strFromU8(files["statement.txt"]!))
        .text.replace(/"leafIndex":\d+/, `"leafIndex":${older.index}`)
        .replace(/"leafHash":"[0-9a-f]+"/, `"leafHash":"${proof.leafHash}"`);
      files["statement.txt"] = strToU8(
        signNote(text, { name: manifest.checkpoint.origin, privateKey: generateNoteKey() }),
      );
    });
    expect(failures(verifyEvidencePack(forged, { verifierKey: vkey }))).toEqual(["index STATEMENT_INVALID"]);
  });

  it("refuses an item that the case index does not list (issue 9 item 10)", async () => {
    const other = await exportEvidence(gw.deps, { tokenId: "c", role: "compliance" }, caseId, "440000");
    const otherFiles = unzipSync(other);
    const stranger = (JSON.parse(strFromU8(otherFiles["manifest.json"]!)) as PackManifest).items.find(
      (i) => i.type === "contact-letter",
    )!;
    const bad = edit(zip, (files, m) => {
      for (const path of Object.values(stranger.paths)) files[path] = otherFiles[path]!;
      m.items.push(stranger);
    });
    expect(failures(verifyEvidencePack(bad))).toEqual(["index ITEM_UNLISTED"]);
  });

  it("fails a version 1 pack, which cannot prove that nothing was removed (issue 9 item 10)", () => {
    const v1 = edit(zip, (files, m) => {
      (m as { version: number }).version = 1;
      delete files[m.caseIndex.path];
      delete files[m.statement.path];
      delete (m as Partial<PackManifest>).caseIndex;
      delete (m as Partial<PackManifest>).statement;
    });
    expect(failures(verifyEvidencePack(v1))).toEqual(["index COMPLETENESS_UNPROVEN"]);
  });

  it("indexes a case that has nothing archived yet when it is exported, once", async () => {
    const gw = await createTestGateway();
    try {
      await registerApplication(gw.deps, gw.principal("330000"), {
        caseId: "CASE-EVIDENCE-EMPTY",
        transferOutAgency: "440000",
      });
      const first = await exportEvidence(gw.deps, gw.principal("330000"), "CASE-EVIDENCE-EMPTY");
      const size = await gw.deps.store.archive.size();
      const again = await exportEvidence(gw.deps, gw.principal("330000"), "CASE-EVIDENCE-EMPTY");
      expect(await gw.deps.store.archive.size()).toBe(size);
      for (const pack of [first, again]) {
        const report = verifyEvidencePack(pack, { verifierKey: vkey });
        expect(failures(report)).toEqual([]);
        expect(report.items).toBe(0);
        expect(report.checks.map((c) => c.code)).toEqual(expect.arrayContaining(["INDEX_OK", "STATEMENT_OK"]));
      }
    } finally {
      await gw.close();
    }
  });

  it("a corrupted certificate file is reported and the others still verify (item 6)", () => {
    const corrupt = (role: string) =>
      edit(zip, (files, m) => {
        const cert = m.certificates.find((c) => c.role === role)!;
        const bytes = files[cert.path]!.slice();
        bytes[2]! ^= 0xff;
        bytes[3]! ^= 0xff;
        files[cert.path] = bytes;
        cert.sha256 = createHash("sha256").update(bytes).digest("hex");
      });
    const sealChecks = (r: PackReport) => r.checks.filter((c) => c.code.startsWith("SEAL_")).map((c) => c.code);
    // An embedded certificate is kept as the seal carried it: reported, and nothing else fails.
    const embedded = verifyEvidencePack(corrupt("embedded"), {
      trustAnchors: [gw.pki.root.certificateDer],
      verifierKey: vkey,
    });
    const warned = embedded.checks.find((c) => c.code === "CERTIFICATE_UNPARSABLE")!;
    expect(warned).toMatchObject({ subject: "trust", status: "warn" });
    expect(warned.message).toMatch(/^certificates\/[0-9a-f]{64}\.der \(embedded\)/);
    expect(embedded.ok).toBe(true);
    expect(sealChecks(embedded)).toEqual(Array(manifest.items.length).fill("SEAL_OK"));
    // The gateway's own intermediate does not parse: a failure naming the file, and the seals still verify.
    const intermediate = verifyEvidencePack(corrupt("intermediate"), {
      trustAnchors: [gw.pki.root.certificateDer],
      verifierKey: vkey,
    });
    expect(failures(intermediate)).toEqual(["trust CERTIFICATE_UNPARSABLE"]);
    expect(sealChecks(intermediate)).toEqual(Array(manifest.items.length).fill("SEAL_OK"));
  });

  it("refuses what is not a pack", () => {
    expect(failures(verifyEvidencePack(new Uint8Array([1, 2, 3])))).toEqual(["pack PACK_UNREADABLE"]);
    expect(failures(verifyEvidencePack(zipSync({ "x.txt": strToU8("x") })))).toEqual(["pack FILE_MISSING"]);
  });

  it("keeps an agency to its own cases", async () => {
    await expect(exportEvidence(gw.deps, gw.principal("440000"), caseId, "330000")).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(exportEvidence(gw.deps, { tokenId: "c", role: "compliance" }, caseId)).rejects.toMatchObject({
      code: "REQUEST_INVALID",
    });
    await expect(exportEvidence(gw.deps, gw.principal("330000"), "CASE-NONE")).rejects.toMatchObject({
      code: "CASE_NOT_FOUND",
    });
    const outView = verifyEvidencePack(
      await exportEvidence(gw.deps, { tokenId: "c", role: "compliance" }, caseId, "440000"),
    );
    expect(outView.ok).toBe(true);
    expect(outView.agencyId).toBe("440000");
  });
});
