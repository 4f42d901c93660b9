import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  fromHex,
  parseCheckpoint,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from "../../../src/domain/archive/index.ts";
import { rfc6962Hasher } from "../../../src/pki/merkle-hasher.ts";
import { verifyNote } from "../../../src/pki/note-signer.ts";
import { consistencyProofFor, cutCheckpoint, inclusionProofFor } from "../../../src/usecases/archive/log.ts";
import { parseCaseIndex } from "../../../src/usecases/case-index.ts";
import { acknowledgeInbound, readInbox, registerApplication, submitDocument } from "../../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";

const example = (type: string) =>
  JSON.parse(readFileSync(new URL(`../../../schemas/examples/${type}.json`, import.meta.url), "utf8"));

describe("the archive log", () => {
  let gw: TestGateway;
  // A fresh gateway per test with one contact letter submitted and delivered (7 leaves).
  beforeEach(async () => {
    gw = await createTestGateway();
    const zj = gw.principal("330000");
    const letter = example("contact-letter");
    await registerApplication(gw.deps, zj, { caseId: letter.caseId, transferOutAgency: "440000" });
    await submitDocument(gw.deps, zj, letter.caseId, { type: "contact-letter", body: letter.body, id: letter.id });
    await gw.dispatcher.runOnce();
  });
  afterEach(async () => gw.close());

  describe("when a document is submitted, received and receipted", () => {
    it("appends the sent document, the received document, the issued and the returned receipt, each batch closed by its case index", async () => {
      const leaves = await gw.deps.store.archive.leaves(0, 100);
      expect(leaves.map((l) => `${l.ownerAgency}:${l.kind}`)).toEqual([
        "330000:document",
        "330000:case-index",
        "440000:document",
        "440000:receipt",
        "440000:case-index",
        "330000:receipt",
        "330000:case-index",
      ]);
      for (const l of leaves.filter((x) => x.kind !== "case-index"))
        expect(JSON.parse(new TextDecoder().decode(l.entry)).meta.documentId).toBe(example("contact-letter").id);
      const lastIndex = parseCaseIndex(leaves[6]!.entry);
      expect(
        typeof lastIndex === "string" ? lastIndex : lastIndex.items.map((i) => [i.leafIndex, i.kind, i.leafHash]),
      ).toEqual([
        [0, "document", toHex(leaves[0]!.leafHash)],
        [5, "receipt", toHex(leaves[5]!.leafHash)],
      ]);
    });

    it("proves each entry's inclusion against a signed checkpoint", async () => {
      const cp = await cutCheckpoint(gw.deps);
      expect(cp.size).toBe(7);
      const opened = verifyNote(cp.note, [gw.deps.archiveSigner!.verifierKey]);
      const body = parseCheckpoint(opened.text);
      for (let index = 0; index < cp.size; index++) {
        const p = await inclusionProofFor(gw.deps, { index });
        expect(() =>
          verifyInclusion(
            rfc6962Hasher,
            p.index,
            p.treeSize,
            fromHex(p.leafHash)!,
            p.proof.map((h) => fromHex(h)!),
            body.root,
          ),
        ).not.toThrow();
      }
    });

    it("proves consistency between an old and a new tree head", async () => {
      const old = await cutCheckpoint(gw.deps);
      await acknowledgeInbound(gw.deps, gw.principal("440000"), {
        documentId: (await readInbox(gw.deps, gw.principal("440000"), undefined)).entries[0]!.documentId,
      });
      await gw.dispatcher.runOnce();
      const now = await cutCheckpoint(gw.deps);
      expect(now.size).toBeGreaterThan(old.size);
      const p = await consistencyProofFor(gw.deps, old.size);
      expect(() =>
        verifyConsistency(
          rfc6962Hasher,
          old.size,
          now.size,
          p.proof.map((h) => fromHex(h)!),
          fromHex(old.rootHex)!,
          fromHex(now.rootHex)!,
        ),
      ).not.toThrow();
    });
  });
});
