/**
 * CPU per verified inbound document inside workerd (issue 14 item 5); not part of `npm test`:
 *   JIEXU_WORKER_BENCH=1 npx vitest run --project workers-entry bench/worker-exchange.workers.ts
 * (vitest.workers.config.ts's WORKER_ENTRY_FILES include it only then).
 * workerd's clock only moves at I/O (Spectre mitigation), so each pure-CPU loop is fenced by a D1
 * `select 1` and timed with Date.now over many documents; whole requests are timed with their D1 round
 * trips counted (local D1 is miniflare's SQLite behind an RPC: its latency is not CPU).
 */
import { env } from "cloudflare:test";
import { it } from "vitest";
import { createDevPki } from "../src/dev/pki.ts";
import { devWorkerVars } from "../src/dev/worker-vars.ts";
import { validateSealedDocument } from "../src/domain/documents/index.ts";
import { createSealer, rfc6962Hasher } from "../src/pki/index.ts";
import { silentLogger, systemClock } from "../src/runtime/basics.ts";
import { buildGateway } from "../src/runtime/compose.ts";
import { materialsFromDevPki } from "../src/runtime/materials.ts";
import worker, { type WorkerEnv } from "../src/runtime/worker.ts";
import { createD1Store } from "../src/storage/d1-store.ts";
import { canonicalBytes, sealedDocumentBytes, shanghaiTimestamp } from "../src/usecases/canonical.ts";
import letter from "../schemas/examples/contact-letter.json";
import { emptyD1 } from "../test/storage/d1-fixtures.ts";

const N = 300;
const TOKEN = "jx_bench-token-0000000";
let d1Calls = 0;
/**
 * D1 round trips one after another in a request: a call's round is one more than the latest round answered in
 * the same request before it was made (calls made together share one). Calls are tagged with the request they
 * were made in, so work a request left running (waitUntil) does not count towards the next one's rounds.
 */
let d1Rounds = 0;
let request = 0;
let answeredRound = 0;

/** The D1 binding, counting the round trips the gateway makes. */
function countingD1(db: any): any {
  const real = new WeakMap<object, any>();
  const counted = <T>(run: () => Promise<T>) => {
    d1Calls++;
    const tag = request;
    const round = answeredRound + 1;
    return run().finally(() => {
      if (tag === request) answeredRound = Math.max(answeredRound, round);
    });
  };
  const wrap = (st: any): any => {
    const w = {
      bind: (...a: unknown[]) => wrap(st.bind(...a)),
      first: (...a: unknown[]) => counted(() => st.first(...a)),
      all: () => counted(() => st.all()),
      run: () => counted(() => st.run()),
      raw: (...a: unknown[]) => counted(() => st.raw(...a)),
    };
    real.set(w, st);
    return w;
  };
  return {
    prepare: (sql: string) => wrap(db.prepare(sql)),
    batch: (sts: any[]) => counted(() => db.batch(sts.map((s) => real.get(s) ?? s))),
    exec: (q: string) => counted(() => db.exec(q)),
  };
}

const fence = () => env.DB.prepare("select 1").first();

/** Milliseconds per item of `n` runs of `work`, and D1 round trips per item. */
async function perItem(label: string, n: number, work: (i: number) => unknown): Promise<void> {
  await fence();
  d1Calls = 0;
  d1Rounds = 0;
  const t0 = Date.now();
  for (let i = 0; i < n; i++) {
    request++;
    answeredRound = 0;
    await work(i);
    d1Rounds += answeredRound;
  }
  request++;
  await fence();
  const each = (count: number) => (count / n).toFixed(1);
  console.log(
    `${label}: ${((Date.now() - t0 - 1) / n).toFixed(2)} ms/doc, ${each(d1Calls)} D1 calls/doc in ${each(d1Rounds)} rounds`,
  );
}

it("times the verified inbound path inside workerd", async () => {
  await emptyD1();
  const pki = await createDevPki({ algorithm: "ecdsa-p256", now: new Date(Date.now() - 3_600_000) });
  const e: WorkerEnv = {
    DB: countingD1(env.DB),
    ...devWorkerVars(pki, [{ token: TOKEN, tokenId: "bench", role: "compliance" }]),
  };
  const sealer = createSealer(materialsFromDevPki(pki).agencies.find((a) => a.id === "330000")!.seal);
  const docs = Array.from({ length: N + 20 }, (_, i) => {
    const c = canonicalBytes({
      ...letter,
      id: `ZJ-B-${i}`,
      caseId: `CASE-B-${i}`,
      issuedAt: shanghaiTimestamp(new Date()),
    });
    return new Uint8Array(sealedDocumentBytes(c, sealer.seal(c, new Date())));
  });
  const parts = docs.map((b) => JSON.parse(new TextDecoder().decode(b)));
  const ctx = { waitUntil() {} };
  const send = async (path: string, body?: Uint8Array, headers: Record<string, string> = {}) => {
    const init: RequestInit = body ? { method: "POST", body: new Uint8Array(body), headers } : {};
    const res = await worker.fetch(new Request(`http://gateway.test${path}`, init), e, ctx);
    await res.arrayBuffer();
    if (res.status >= 300) throw new Error(`${path}: ${res.status}`);
  };
  for (let i = 0; i < 20; i++) await send("/v1/exchange", docs[N + i]); // compose, caches warm
  await perItem("POST /v1/exchange, new documents (wall, local D1 included)", N, (i) => send("/v1/exchange", docs[i]));
  await perItem("POST /v1/exchange, replays (stored receipt)", N, (i) => send("/v1/exchange", docs[i]));
  const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
  await perItem("POST /v1/verify (full report)", N, (i) => send("/v1/verify", docs[i], auth));
  await perItem("GET /healthz", N, () => send("/healthz"));
  await perItem("D1 select 1", N, () => fence());
  const gw = buildGateway(materialsFromDevPki(pki), {
    store: createD1Store(env.DB, { archiveHasher: rfc6962Hasher }),
    clock: systemClock,
    ids: { newId: (p) => p },
    random: () => 0.5,
    logger: silentLogger,
    metrics: { count() {}, observe() {} },
  });
  const sealDer = (i: number) => Uint8Array.from(atob(parts[i].seal), (ch) => ch.charCodeAt(0));
  await perItem("seal verification (CPU)", N, (i) => {
    const report = gw.deps.verifier.verify(canonicalBytes(parts[i].document), sealDer(i), new Date(), "seal");
    if (report.indication !== "TOTAL_PASSED") throw new Error(report.indication);
  });
  await perItem("schema validation (CPU)", N, (i) =>
    validateSealedDocument(parts[i], { now: new Date(), emergencyWindows: [] }),
  );
  await perItem("sealing a receipt-sized document (CPU)", N, (i) =>
    sealer.seal(canonicalBytes(parts[i].document), new Date()),
  );
});
