import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createDevPki, type DevPki } from "../../src/dev/pki.ts";
import { devWorkerVars } from "../../src/dev/worker-vars.ts";
import { rfc6962Hasher } from "../../src/pki/index.ts";
import worker, { type WorkerEnv } from "../../src/runtime/worker.ts";
import { createD1Store } from "../../src/storage/d1-store.ts";
import letter from "../../schemas/examples/contact-letter.json";
import { directoryOf, sealWithOperator } from "../fixtures/directory.ts";
import { emptyD1 } from "../storage/d1-fixtures.ts";

const ZJ_TOKEN = "jx_worker-directory-test-330000";
const ADMIN_TOKEN = "jx_worker-directory-test-admin";
/** Nothing listens there: a send to 广东 fails at once, so its delivery is retried. */
const UNREACHABLE = "http://127.0.0.1:9";
/** Failed, to be tried again. */
const PENDING = ["retrying", "uncertain"];

function testContext() {
  const work: Promise<unknown>[] = [];
  return { waitUntil: (p: Promise<unknown>) => void work.push(p), settled: () => Promise.all(work) };
}

/** A Worker hosting 浙江 only, whose signed directory (a var) lists 广东 at another gateway and not 四川. */
function workerEnvFor(pki: DevPki, issuedAt: Date): WorkerEnv {
  const tokens = [
    { token: ZJ_TOKEN, tokenId: "tok-zj", role: "agency" as const, agencyId: "330000" },
    { token: ADMIN_TOKEN, tokenId: "tok-admin", role: "admin" as const },
  ];
  const vars = devWorkerVars(pki, tokens, { directory: { file: "DIRECTORY" } });
  const config = JSON.parse(vars.JIEXU_CONFIG!);
  config.agencies = config.agencies.filter((a: { id: string }) => a.id === "330000");
  const directory = directoryOf(pki, { sequence: 7, issuedAt });
  directory.agencies = directory.agencies
    .filter((a) => a.id !== "510000")
    .map((a) => (a.id === "440000" ? { ...a, gatewayUrl: UNREACHABLE } : a));
  return {
    DB: env.DB,
    ...vars,
    JIEXU_CONFIG: JSON.stringify(config),
    DIRECTORY: sealWithOperator(pki, directory, issuedAt),
  };
}

/**
 * The Worker reaches agencies it does not host through the signed directory (issue 14 item 1): loaded from
 * a binding when the isolate composes, refreshed with each cron pass, which also re-sends deliveries an
 * evicted isolate left `sending`.
 */
// In order, also under `--sequence.shuffle`: the cron test re-sends the delivery the first test left retrying.
describe("the Worker's signed directory and remote peers, inside workerd", { shuffle: false }, () => {
  let workerEnv: WorkerEnv;
  const call = async (path: string, token: string, init: { method?: string; body?: unknown } = {}) => {
    const ctx = testContext();
    const request = new Request(`http://gateway.test${path}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const res = await worker.fetch(request, workerEnv, ctx);
    await ctx.settled();
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { code?: string } };
  };
  const deliveries = async () =>
    (await call("/v1/deliveries?limit=50", ADMIN_TOKEN)).body.deliveries as {
      id: string;
      documentId: string;
      target: string;
      state: string;
      attempts: number;
      lastError?: string;
    }[];

  beforeAll(async () => {
    await emptyD1();
    const now = new Date(Date.now() - 3_600_000);
    const pki = await createDevPki({ algorithm: "ecdsa-p256", now });
    workerEnv = workerEnvFor(pki, now);
  });

  it("routes a document for a listed remote agency to its gateway, and retries while it is unreachable", async () => {
    const caseId = "CASE-330000-2026-000801";
    expect(
      (await call("/v1/cases", ZJ_TOKEN, { method: "POST", body: { caseId, transferOutAgency: "440000" } })).status,
    ).toBe(201);
    const sent = await call(`/v1/cases/${caseId}/documents`, ZJ_TOKEN, {
      method: "POST",
      body: { type: "contact-letter", id: "ZJ-LXH-DIR-1", body: letter.body },
    });
    expect(sent.status).toBe(201);
    const [delivery] = (await deliveries()).filter((d) => d.documentId === "ZJ-LXH-DIR-1");
    // workerd reports a refused connection as "Network connection lost": the transport cannot tell it from a
    // reset after sending, so the delivery is `uncertain` (re-sent with the same bytes), never dropped.
    expect(delivery).toMatchObject({ target: "440000", attempts: 1 });
    expect(PENDING).toContain(delivery!.state);
    expect(delivery!.lastError).toBeTruthy();
  });

  it("refuses a case with an agency the directory does not list: 422 RECIPIENT_UNKNOWN, nothing stored", async () => {
    const caseId = "CASE-330000-2026-000802";
    const refused = await call("/v1/cases", ZJ_TOKEN, {
      method: "POST",
      body: { caseId, transferOutAgency: "510000" },
    });
    expect(refused.body.code).toBe("RECIPIENT_UNKNOWN");
    expect(refused.status).toBe(422);
    expect((await call(`/v1/cases/${caseId}`, ZJ_TOKEN)).status).toBe(404);
  });

  it("re-sends on its cron pass a delivery left `sending` for longer than any send lasts, and leaves a young one", async () => {
    const store = createD1Store(env.DB, { archiveHasher: rfc6962Hasher });
    const [delivery] = (await deliveries()).filter((d) => d.documentId === "ZJ-LXH-DIR-1");
    const stale = new Date(Date.now() - 10 * 60_000).toISOString();
    await store.commit({ deliveryUpdates: [{ id: delivery!.id, state: "sending", attempts: 1, updatedAt: stale }] });

    const ctx = testContext();
    await worker.scheduled({}, workerEnv, ctx);
    await ctx.settled();
    const after = (await deliveries()).find((d) => d.id === delivery!.id)!;
    expect(PENDING).toContain(after.state);
    expect(after.attempts).toBe(2);

    const young = new Date(Date.now() - 30_000).toISOString();
    await store.commit({ deliveryUpdates: [{ id: delivery!.id, state: "sending", attempts: 2, updatedAt: young }] });
    const again = testContext();
    await worker.scheduled({}, workerEnv, again);
    await again.settled();
    expect((await deliveries()).find((d) => d.id === delivery!.id)).toMatchObject({ state: "sending", attempts: 2 });
  });
});
