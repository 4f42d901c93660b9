import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createDevPki, type DevPki } from "../../src/dev/pki.ts";
import { createApp } from "../../src/http/app.ts";
import { tokenHash } from "../../src/http/auth.ts";
import { createMetricsRegistry } from "../../src/http/metrics.ts";
import { rfc6962Hasher } from "../../src/pki/merkle-hasher.ts";
import { generateNoteKey } from "../../src/pki/note-signer.ts";
import { silentLogger } from "../../src/runtime/basics.ts";
import { buildGateway } from "../../src/runtime/compose.ts";
import { materialsFromDevPki } from "../../src/runtime/materials.ts";
import { createD1Store, type D1StoreOptions } from "../../src/storage/d1-store.ts";
import { sealedDocumentBytes } from "../../src/usecases/canonical.ts";
import { verifyEvidencePack } from "../../src/usecases/evidence/index.ts";
import {
  auditArchive,
  cutCheckpoint,
  exportEvidence,
  registerApplication,
  submitDocument,
} from "../../src/usecases/index.ts";
import letter from "../../schemas/examples/contact-letter.json";
import { emptyD1 } from "../storage/d1-fixtures.ts";

const NOW = new Date("2026-03-02T08:00:00Z");
const CASE_ID = "CASE-330000-2024-000815";
const TOKEN_GD = "jx_workerd-r2-test-token-440000";
const zj = { tokenId: "tok-330000", role: "agency" as const, agencyId: "330000" };
const gd = { tokenId: "tok-440000", role: "agency" as const, agencyId: "440000" };

/** The gateway as the Worker composes it, over D1 with the given store options, and its HTTP app. */
async function gatewayOn(pki: DevPki, options: Partial<D1StoreOptions>) {
  const store = createD1Store(env.DB, { archiveHasher: rfc6962Hasher, ...options });
  let n = 0;
  const archiveKey = { privateKey: generateNoteKey(), origin: "jiexu.test/r2" };
  const gateway = buildGateway(materialsFromDevPki(pki, { archiveKey }), {
    store,
    clock: { now: () => new Date(NOW.getTime() + 3_600_000) },
    ids: { newId: (prefix) => `${prefix}-${++n}` },
    random: () => 0.5,
    logger: silentLogger,
    metrics: { count() {}, observe() {} },
  });
  await store.saveToken(await tokenHash(TOKEN_GD), gd, "gd");
  const app = createApp({ gateway: gateway.deps, metrics: createMetricsRegistry(), logger: silentLogger });
  return { store, gateway, app };
}

const count = async (table: string) =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())!.n;
const same = (a: Uint8Array | undefined, b: Uint8Array) => expect(a && [...a].join()).toBe([...b].join());
const exchange = (
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  body: Uint8Array,
) =>
  app.request("/v1/exchange", {
    method: "POST",
    body: body as Uint8Array<ArrayBuffer>,
    headers: { "content-type": "application/json" },
  });

/**
 * Issue 14 item 1 through the whole gateway inside workerd: with a small inline limit a received sealed
 * document lives in R2, and everything built from it — the inbox, the sealed bytes a replay is compared
 * with, the archive leaf, the evidence pack — is byte for byte what was sealed; without the bucket a row D1
 * would refuse is answered with a coded 413 and nothing is written.
 */
describe("the gateway over D1 with R2 for large document bytes (workerd)", () => {
  let pki: DevPki;
  /** 广东's contact letter to 浙江 as sealed on the wire, from a scratch gateway (then emptied). */
  let letterBytes: Uint8Array;
  beforeAll(async () => {
    pki = await createDevPki({ algorithm: "ecdsa-p256", now: NOW });
    await emptyD1();
    const { store, gateway } = await gatewayOn(pki, {});
    await registerApplication(gateway.deps, zj, { caseId: CASE_ID, transferOutAgency: "440000" });
    await submitDocument(gateway.deps, zj, CASE_ID, { type: "contact-letter", body: letter.body, id: letter.id });
    const sent = (await store.caseDocuments("330000", CASE_ID)).find((d) => d.type === "contact-letter")!;
    letterBytes = sealedDocumentBytes(sent.canonical, sent.seal);
    // The submit kicked its dispatcher: let it finish before the tests empty the database under it.
    await gateway.dispatcher.stop();
  });

  it("receives a document above the inline limit into R2 and gives it back byte for byte", async () => {
    await emptyD1();
    const { store, gateway, app } = await gatewayOn(pki, { blobs: env.SEALED, inlineLimit: 256 });
    await registerApplication(gateway.deps, zj, { caseId: CASE_ID, transferOutAgency: "440000" });
    await submitDocument(gateway.deps, zj, CASE_ID, { type: "contact-letter", body: letter.body, id: letter.id });
    await gateway.dispatcher.runOnce();

    const key = { ownerAgency: "440000", direction: "in" as const, from: "330000", documentId: letter.id };
    const sent = (await store.caseDocuments("330000", CASE_ID)).find((d) => d.type === "contact-letter")!;
    const received = (await store.getDocument(key))!;
    same(received.canonical, sent.canonical);
    same(received.seal, sent.seal);
    const sealed = sealedDocumentBytes(sent.canonical, sent.seal);
    // Neither row keeps a copy; R2 holds each set of bytes once, under its digest.
    const rows = await env.DB.prepare(
      "SELECT length(canonical) + length(seal) AS n, canonical_blob AS c, seal_blob AS s FROM documents WHERE document_id = ?",
    )
      .bind(letter.id)
      .raw<[number, string, string]>();
    expect(rows).toEqual([
      [0, `documents/${sent.documentSha256}`, `seals/${sent.sealSha256}`],
      [0, `documents/${sent.documentSha256}`, `seals/${sent.sealSha256}`],
    ]);
    expect((await env.SEALED.head(`documents/${sent.documentSha256}`))?.size).toBe(sent.canonical.length);

    // The inbox over HTTP answers the document as sealed.
    const inbox = await app.request("/v1/inbox", { headers: { authorization: `Bearer ${TOKEN_GD}` } });
    expect(inbox.status).toBe(200);
    const [entry] = ((await inbox.json()) as { entries: { sealed: unknown }[] }).entries;
    expect(entry?.sealed).toEqual(JSON.parse(new TextDecoder().decode(sealed)));
    // The same sealed bytes again are a replay of the stored ones: 200 with the original receipt.
    const replay = await exchange(app, sealed);
    expect(replay.status).toBe(200);
    expect(await replay.text()).toBe(received.receipt);

    // Every archive leaf rebuilds (from R2) to its leaf hash, and the evidence pack verifies offline.
    expect(await auditArchive(gateway.deps, { tokenId: "tok-admin", role: "admin" })).toMatchObject({ ok: true });
    const [leaf] = (await store.archive.caseLeaves("440000", CASE_ID)).filter((l) => l.kind === "document");
    same(rfc6962Hasher.hashLeaf(leaf!.entry), leaf!.leafHash);
    await cutCheckpoint(gateway.deps);
    const pack = verifyEvidencePack(await exportEvidence(gateway.deps, gd, CASE_ID));
    expect(pack.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(pack.ok).toBe(true);

    // An object gone from R2 is a coded 500, never an empty document.
    await env.SEALED.delete(`seals/${sent.sealSha256}`);
    const broken = await app.request("/v1/inbox", { headers: { authorization: `Bearer ${TOKEN_GD}` } });
    expect(broken.status).toBe(500);
    expect(await broken.json()).toMatchObject({ code: "STORE_BLOB_MISSING" });
  });

  it("without R2, refuses a document whose row D1 would not take: a coded 413, nothing written", async () => {
    await emptyD1();
    // D1's 2 MB row limit, lowered so an example document passes it (Miniflare's local D1 does not enforce it).
    const { app } = await gatewayOn(pki, { rowLimit: 2048 });
    const before = await count("audit_events");
    const refused = await exchange(app, letterBytes);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ code: "STORE_DOCUMENT_TOO_LARGE" });
    for (const table of ["documents", "cases", "case_events", "archive_leaves", "deliveries"])
      expect(await count(table)).toBe(0);
    expect(await count("audit_events")).toBe(before);
  });
});
