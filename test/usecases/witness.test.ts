import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatCheckpoint, parseNote } from "../../src/domain/archive/index.ts";
import { noteKeyFromSeed, signNote, verifyNote } from "../../src/pki/note-signer.ts";
import { registerApplication, submitDocument } from "../../src/usecases/index.ts";
import { exchangeCheckpoints, witnessCheckpoint } from "../../src/usecases/witness.ts";
import { createTestGateway, type TestGateway } from "../support/gateway-harness.ts";

const example = (type: string) => JSON.parse(readFileSync(new URL(`../../schemas/examples/${type}.json`, import.meta.url), "utf8"));

describe("cross-witnessing checkpoints", () => {
  let origin: TestGateway;
  let witness: TestGateway;
  beforeAll(async () => {
    origin = await createTestGateway({ materials: { archiveKey: { privateKey: noteKeyFromSeed(new Uint8Array(32).fill(1)), origin: "jiexu.test/gd" } } });
    witness = await createTestGateway({ materials: { archiveKey: { privateKey: noteKeyFromSeed(new Uint8Array(32).fill(2)), origin: "jiexu.test/zj" } } });
    const letter = example("contact-letter");
    await registerApplication(origin.deps, origin.principal("330000"), { caseId: letter.caseId, transferOutAgency: "440000" });
    await submitDocument(origin.deps, origin.principal("330000"), letter.caseId, { type: "contact-letter", body: letter.body, id: letter.id });
  });
  afterAll(async () => Promise.all([origin.close(), witness.close()]));

  const peers = { urls: () => ["http://zj.example"], offer: (_url: string, note: string, vkey: string) => witnessCheckpoint(witness.deps, note, vkey) };

  describe("when a gateway offers its checkpoint to a peer", () => {
    it("the peer keeps it and the origin keeps the peer's co-signature", async () => {
      expect(await exchangeCheckpoints(origin.deps, peers)).toBe(1);
      const ours = (await origin.deps.store.archive.latestCheckpoint())!;
      const opened = verifyNote(ours.note, [origin.deps.archiveSigner!.verifierKey, witness.deps.archiveSigner!.verifierKey]);
      expect(opened.verifiedBy.sort()).toEqual(["jiexu.test/gd", "jiexu.test/zj"]);
      const seen = await witness.deps.store.archive.peerCheckpoints("jiexu.test/gd");
      expect(seen.map((c) => [c.size, c.rootHex])).toEqual([[ours.size, ours.rootHex]]);
    });
  });

  describe("when a peer presents a different root for a size already witnessed", () => {
    it("is refused as a split view and recorded as a security event", async () => {
      const ours = (await origin.deps.store.archive.latestCheckpoint())!;
      const forged = signNote(formatCheckpoint({ origin: "jiexu.test/gd", size: ours.size, root: new Uint8Array(32).fill(9) }), { name: "jiexu.test/gd", privateKey: noteKeyFromSeed(new Uint8Array(32).fill(1)) });
      await expect(witnessCheckpoint(witness.deps, forged, origin.deps.archiveSigner!.verifierKey)).rejects.toMatchObject({ code: "DOCUMENT_CONFLICT" });
      expect(await witness.deps.store.auditEvents({ kind: "security.checkpoint-equivocation", limit: 5 })).toHaveLength(1);
    });

    it("refuses a note not signed by the offered key", async () => {
      const note = (await origin.deps.store.archive.latestCheckpoint())!.note;
      await expect(witnessCheckpoint(witness.deps, note, witness.deps.archiveSigner!.verifierKey)).rejects.toMatchObject({ code: "REQUEST_INVALID" });
      expect(parseNote(note).signatures.length).toBeGreaterThan(0);
    });
  });
});
