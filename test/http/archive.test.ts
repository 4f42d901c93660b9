import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromHex, parseCheckpoint, verifyConsistency, verifyInclusion } from "../../src/domain/archive/index.ts";
import { rfc6962Hasher } from "../../src/pki/merkle-hasher.ts";
import { verifyNote } from "../../src/pki/note-signer.ts";
import { rootAt, verifyEvidencePack } from "../../src/usecases/index.ts";
import { parseCaseIndex } from "../../src/usecases/case-index.ts";
import { walkTransfer } from "../support/transfer-walk.ts";
import { createTestApp, type TestApp } from "./app-harness.ts";

describe("archive routes", () => {
  let t: TestApp;
  let caseId: string;
  // One walked transfer shared by every test: they only read the archive it leaves (proofs, entries,
  // packs, the audit), so they do not depend on each other, and walking it once per test would be slow.
  beforeAll(async () => {
    t = await createTestApp();
    caseId = await walkTransfer(t.gw);
  });
  afterAll(async () => t.gw.close());

  it("publishes the signed checkpoint and its key without authentication", async () => {
    const key = await t.call("GET", "/v1/archive/key");
    expect(key.headers.get("content-type")).toMatch(/^text\/plain/);
    const vkey = (await key.text()).trim();
    const res = await t.call("GET", "/v1/archive/checkpoint");
    expect(res.status).toBe(200);
    const body = parseCheckpoint(verifyNote(await res.text(), [vkey]).text);
    expect(body.size).toBe(await t.gw.deps.store.archive.size());
  });

  it("serves inclusion proofs by index or leaf hash, and consistency proofs", async () => {
    const byIndex = await (await t.call("GET", "/v1/archive/proof/inclusion?index=3")).json();
    const root = parseCheckpoint(verifyNote(byIndex.checkpoint, [t.gw.deps.archiveSigner!.verifierKey]).text).root;
    expect(() =>
      verifyInclusion(rfc6962Hasher, 3, byIndex.treeSize, fromHex(byIndex.leafHash)!, byIndex.proof.map(fromHex), root),
    ).not.toThrow();
    const byHash = await (
      await t.call("GET", `/v1/archive/proof/inclusion?leafHash=${byIndex.leafHash}&treeSize=${byIndex.treeSize}`)
    ).json();
    expect(byHash).toEqual(byIndex);
    const c = await (await t.call("GET", `/v1/archive/proof/consistency?from=5&to=${byIndex.treeSize}`)).json();
    const newRoot = parseCheckpoint(verifyNote(c.toCheckpoint, [t.gw.deps.archiveSigner!.verifierKey]).text).root;
    const oldRoot = await rootAt(t.gw.deps, 5);
    expect(() => verifyConsistency(rfc6962Hasher, 5, c.to, c.proof.map(fromHex), oldRoot, newRoot)).not.toThrow();
  });

  it("refuses malformed proof queries with coded errors", async () => {
    expect(
      (await (await t.call("GET", "/v1/archive/proof/inclusion?index=1&leafHash=" + "0".repeat(64))).json()).code,
    ).toBe("REQUEST_INVALID");
    expect((await (await t.call("GET", "/v1/archive/proof/inclusion?leafHash=" + "0".repeat(64))).json()).code).toBe(
      "NOT_FOUND",
    );
    expect((await (await t.call("GET", "/v1/archive/proof/inclusion?index=0&treeSize=3")).json()).code).toBe(
      "NOT_FOUND",
    );
    expect((await t.call("GET", "/v1/archive/proof/consistency?from=-1")).status).toBe(400);
  });

  it("hands an agency the evidence pack of its own case, and only that", async () => {
    const res = await t.call("GET", `/v1/cases/${caseId}/evidence`, { token: t.gw.tokens["330000"] });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toContain(`evidence-${caseId}.zip`);
    const report = verifyEvidencePack(new Uint8Array(await res.arrayBuffer()), {
      trustAnchors: [t.gw.pki.root.certificateDer],
    });
    expect(report.ok).toBe(true);
    expect(
      (
        await (
          await t.call("GET", `/v1/cases/${caseId}/evidence?agency=440000`, { token: t.gw.tokens["330000"] })
        ).json()
      ).code,
    ).toBe("FORBIDDEN");
    expect((await t.call("GET", `/v1/cases/${caseId}/evidence`)).status).toBe(401);
    expect(
      (await (await t.call("GET", `/v1/cases/${caseId}/evidence`, { token: t.gw.complianceToken })).json()).code,
    ).toBe("REQUEST_INVALID");
    expect(
      (await t.call("GET", `/v1/cases/${caseId}/evidence?agency=440000`, { token: t.gw.complianceToken })).status,
    ).toBe(200);
  });

  it("serves an entry's stored bytes to its owning agency and to compliance, with the leaf hash", async () => {
    const leaf = (await t.gw.deps.store.archive.leaf(0))!;
    const own = await t.call("GET", "/v1/archive/entries/0", { token: t.gw.tokens[leaf.ownerAgency] });
    expect(own.status).toBe(200);
    const bytes = new Uint8Array(await own.arrayBuffer());
    expect(own.headers.get("x-leaf-hash")).toBe(Buffer.from(rfc6962Hasher.hashLeaf(bytes)).toString("hex"));
    const other = Object.keys(t.gw.tokens).find((id) => id !== leaf.ownerAgency)!;
    expect((await (await t.call("GET", "/v1/archive/entries/0", { token: t.gw.tokens[other] })).json()).code).toBe(
      "NOT_FOUND",
    );
    expect((await t.call("GET", "/v1/archive/entries/0", { token: t.gw.complianceToken })).status).toBe(200);
    expect((await t.call("GET", "/v1/archive/entries/0")).status).toBe(401);
  });

  it("serves a case-index entry and its proof like any other leaf (issue 9 item 10)", async () => {
    const leaf = (await t.gw.deps.store.archive.caseLeaves("330000", caseId)).findLast((l) => l.kind === "case-index")!;
    const res = await t.call("GET", `/v1/archive/entries/${leaf.index}`, { token: t.gw.tokens["330000"] });
    expect(res.status).toBe(200);
    const index = parseCaseIndex(new Uint8Array(await res.arrayBuffer()));
    expect(typeof index === "string" ? index : index.meta).toMatchObject({
      kind: "case-index",
      caseId,
      ownerAgency: "330000",
    });
    expect((await t.call("GET", `/v1/archive/entries/${leaf.index}`, { token: t.gw.tokens["440000"] })).status).toBe(
      404,
    );
    const proof = await (await t.call("GET", `/v1/archive/proof/inclusion?index=${leaf.index}`)).json();
    const root = parseCheckpoint(verifyNote(proof.checkpoint, [t.gw.deps.archiveSigner!.verifierKey]).text).root;
    expect(() =>
      verifyInclusion(rfc6962Hasher, leaf.index, proof.treeSize, leaf.leafHash, proof.proof.map(fromHex), root),
    ).not.toThrow();
  });

  it("runs the 四性 audit for compliance and admin only", async () => {
    expect((await (await t.call("GET", "/v1/archive/audit", { token: t.gw.tokens["330000"] })).json()).code).toBe(
      "FORBIDDEN",
    );
    const report = await (await t.call("GET", "/v1/archive/audit", { token: t.gw.complianceToken })).json();
    expect(report.ok).toBe(true);
    expect(report.items.map((i: { property: string }) => i.property)).toEqual(
      expect.arrayContaining(["真实性", "完整性", "可用性", "安全性"]),
    );
  });

  it("documents every archive route in the OpenAPI document", async () => {
    const doc = await (await t.call("GET", "/openapi.json")).json();
    for (const p of [
      "/v1/archive/checkpoint",
      "/v1/archive/key",
      "/v1/archive/proof/inclusion",
      "/v1/archive/proof/consistency",
      "/v1/cases/{id}/evidence",
      "/v1/archive/audit",
    ]) {
      expect(doc.paths[p]?.get, p).toBeDefined();
    }
  });
});
