import { writeFileSync } from "node:fs";
import { formatCheckpoint } from "../../src/domain/archive/index.ts";
import { createApp } from "../../src/http/app.ts";
import { formatVerifierKey, noteKeyFromSeed, signNote } from "../../src/pki/note-signer.ts";
import { silentLogger } from "../../src/runtime/basics.ts";
import { contactLetter, createTestApp, example } from "./app-harness.ts";
import { ROOT, readmeWalkthrough } from "./readme-curl.ts";

/**
 * Writes schemas/examples/http/responses.json: what a test gateway actually answers on each operation,
 * keyed "method /openapi/path" → status → example name (and the few request bodies no other example
 * file holds), and schemas/examples/http/sealed-contact-letter.json, for /openapi.json's response examples (issue
 * 15 item 1). Run after changing a response shape:
 *   node --import tsx test/http/capture-examples.ts && npx biome check --write schemas/examples/http
 * and review the diff; redocly lint (test/http/openapi-validators.test.ts) checks every example against
 * its schema. The README walkthrough runs first, so the examples are one coherent transfer.
 */
const PEER = "jiexu.test/peer";
const PEER_KEY = noteKeyFromSeed(new Uint8Array(32).fill(11));

const t = await createTestApp();
// Deliveries happen when this script runs the dispatcher (after each request, like npm start's background
// loop), not on their own: the retried and cancelled examples need one that stays queued.
const gateway = {
  ...t.gw.deps,
  onQueued: undefined,
  peerLogs: { pinnedKeys: (o: string) => (o === PEER ? [formatVerifierKey(PEER, PEER_KEY)] : undefined) },
};
const app = createApp({
  gateway,
  metrics: t.metrics,
  logger: silentLogger,
  info: { version: "0.1.0", hostedAgencies: gateway.agencies.hostedIds() },
});
const doc = (await (await app.request("/openapi.json")).json()) as { paths: Record<string, unknown> };
const templates = Object.keys(doc.paths).map((p) => ({
  path: p,
  pattern: new RegExp(`^${p.replace(/\{[^}]+\}/g, "[^/]+")}$`),
}));
const captured: Record<string, Record<string, Record<string, unknown>>> = {};
/** Request bodies no schemas/examples file holds (a peer's signed checkpoint), by operation and name. */
const requests: Record<string, Record<string, unknown>> = {};
/** Whether to deliver after each request, as npm start does in the background. */
let dispatching = true;

/** Send, keep the answer under its operation and status as `name` (the first of a name wins). */
async function send(name: string, method: string, url: string, token?: string, body?: unknown): Promise<unknown> {
  const res = await app.request(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const path = new URL(url, "http://x").pathname;
  const template = templates.find((x) => x.pattern.test(path))?.path;
  if (!template || !res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  const value = await res.json();
  const byStatus = ((captured[`${method.toLowerCase()} ${template}`] ??= {})[res.status] ??= {});
  byStatus[name] ??= value;
  if (dispatching) await t.gw.dispatcher.runOnce();
  return value;
}

const token = (who: string) => (who === "compliance" ? t.gw.complianceToken : t.gw.tokens[who]!);
for (const r of readmeWalkthrough(t.gw.tokens)) {
  const name =
    r.dataFile
      ?.split("/")
      .pop()
      ?.replace(/\.json$/, "") ?? "walkthrough";
  const body = r.body ? new TextDecoder().decode(r.body) : undefined;
  await send(name, r.method, r.url.replace("http://127.0.0.1:8787", ""), r.headers.authorization?.slice(7), body);
}
const CASE = "CASE-330000-2024-000815";
const early = (await send("first-entry", "GET", "/v1/archive/proof/inclusion?index=0", undefined)) as {
  treeSize: number;
};
await send("completed", "GET", "/v1/cases?limit=1", token("330000"));
const inbox = (await send("first", "GET", "/v1/inbox?limit=1", token("440000"))) as {
  entries: { sealed: unknown }[];
};
const sealed = inbox.entries[0]!.sealed;
writeFileSync(
  new URL("schemas/examples/http/sealed-contact-letter.json", ROOT),
  JSON.stringify(sealed, null, 2) + "\n",
);
const voucher = example("contribution-voucher");
await send("contribution-voucher", "POST", "/v1/vouchers", token("440000"), { id: voucher.id, body: voucher.body });
await send("contribution-voucher", "GET", `/v1/vouchers/${voucher.id}`, token("440000"));
await send("contact-letter", "POST", "/v1/documents/validate", token("330000"), example("contact-letter"));
await send("A1", "POST", "/v1/assessments", token("330000"), example("assess/A1"));
await send("sealed-contact-letter", "POST", "/v1/verify", token("compliance"), sealed);
const exchanged = contactLetter(t.gw, { caseId: "CASE-330000-2024-000900", id: "ZJ-LXH-2024-000900" });
const bytes = new TextDecoder().decode(t.sealed(exchanged));
await send("receipt", "POST", "/v1/exchange", undefined, bytes);
await send("replayed-receipt", "POST", "/v1/exchange", undefined, bytes);
// A delivery left queued (no dispatcher run before the operator acts): retried, then cancelled.
dispatching = false;
await send("queued", "POST", "/v1/cases", token("330000"), {
  caseId: "CASE-330000-2024-000901",
  transferOutAgency: "440000",
});
const queued = await app.request("/v1/cases/CASE-330000-2024-000901/documents", {
  method: "POST",
  headers: { authorization: `Bearer ${token("330000")}`, "content-type": "application/json" },
  body: JSON.stringify({ ...example("contact-letter"), caseId: "CASE-330000-2024-000901", id: "ZJ-LXH-2024-000901" }),
});
if (queued.status !== 201) throw new Error(`queued letter: ${queued.status}`);
const outbox = (await send("queued", "GET", "/v1/deliveries?state=queued&limit=1", token("330000"))) as {
  deliveries: { id: string; documentId?: string }[];
};
const id = outbox.deliveries.find((d) => d.documentId === "ZJ-LXH-2024-000901")!.id;
await send("retried", "POST", `/v1/deliveries/${id}/retry`, token("330000"));
await send("cancelled", "POST", `/v1/deliveries/${id}/cancel`, token("330000"));
dispatching = true;
await send("submissions", "GET", "/v1/audit?kind=document.submitted&limit=1", token("compliance"));
const later = (await send("later", "GET", "/v1/archive/proof/inclusion?index=1", undefined)) as { treeSize: number };
await send("grown", "GET", `/v1/archive/proof/consistency?from=${early.treeSize}&to=${later.treeSize}`, undefined);
await send("archive", "GET", "/v1/archive/audit", token("compliance"));
const note = signNote(formatCheckpoint({ origin: PEER, size: 7, root: new Uint8Array(32).fill(7) }), {
  name: PEER,
  privateKey: PEER_KEY,
});
const offered = { note, vkey: formatVerifierKey(PEER, PEER_KEY) };
requests["post /v1/archive/witness"] = { peer: offered };
await send("peer", "POST", "/v1/archive/witness", undefined, offered);
await send("peer", "GET", "/v1/archive/witnessed", token("compliance"));
await send("up", "GET", "/healthz");
await send("case", "GET", `/v1/cases/${CASE}`, token("440000"));
writeFileSync(
  new URL("schemas/examples/http/responses.json", ROOT),
  JSON.stringify({ requests, responses: captured }, null, 2) + "\n",
);
await t.gw.close();
console.log(`${Object.keys(captured).length} operations captured`);
