import { api, expectStatus, waitFor, type Api } from "./api.ts";
import type { Cluster } from "./cluster.ts";
import {
  COMPLETED,
  RETURNED,
  completedTransferDocuments,
  returnedTransferDocuments,
  type DocumentInput,
  type TransferPlan,
} from "./documents.ts";

/**
 * The demo's walk, through the public agency API only (each agency with its own gateway's token):
 *
 *   (a) 广东 issues the person's electronic contribution voucher (参保缴费凭证); 浙江 registers the transfer
 *       with it, sends the contact letter (naming the voucher); 广东 recognises its voucher and sends the
 *       insurance record and the fund transfer; 浙江 completes. Every received document is acknowledged.
 *   (b) 广东 registers a transfer from 四川, sends the contact letter; 四川 returns it with a reason.
 *
 * Mid-way 广东's gateway is stopped (SIGTERM): 浙江's completion and 四川's return wait in their
 * outboxes, retried with backoff (the breaker opens, then probes), and are delivered once 广东's
 * gateway is started again on the same port with the same data.
 */

export const GD = "440000";
export const ZJ = "330000";
export const SC = "510000";

export interface Outage {
  agencyId: string;
  /** How long the demo was asked to keep the gateway down (`--outage-ms`). */
  requestedMs: number;
  stoppedAtMs: number;
  restartedAtMs: number;
  /** Documents submitted to the stopped agency while it was down. */
  documentIds: string[];
  /** Failed attempts seen before the restart, per document id. */
  failedAttempts: Record<string, number>;
}

export interface ScenarioResult {
  outage: Outage;
  /** Milliseconds since the demo started when each step finished. */
  steps: { atMs: number; text: string }[];
}

const PENDING = new Set(["queued", "sending", "retrying", "uncertain"]);

/** The outage `jiexu demo` shows unless told otherwise; the overall time limit assumes it. */
export const DEFAULT_OUTAGE_MS = 3_000;
/** Slack on top of an outage for retries to be seen on a busy machine (each wait still ends). */
const SLACK_MS = 20_000;

/** The demo's overall limit: 60 s with the default outage, plus any longer outage asked for. */
export function demoLimitMs(outageMs: number): number {
  return 60_000 + Math.max(0, outageMs - DEFAULT_OUTAGE_MS);
}

export async function runScenario(
  cluster: Cluster,
  t0: number,
  log: (line: string) => void,
  outageMs = DEFAULT_OUTAGE_MS,
): Promise<ScenarioResult> {
  const steps: ScenarioResult["steps"] = [];
  const step = (text: string) => {
    const atMs = performance.now() - t0;
    steps.push({ atMs, text });
    log(`  ${(atMs / 1000).toFixed(1).padStart(5)} s  ${text}`);
  };
  const as = (agencyId: string): Api =>
    api(cluster.gateways[agencyId]!.url, cluster.gateways[agencyId]!.tokens[agencyId]);
  const a = completedTransferDocuments();
  const b = returnedTransferDocuments();

  const voucher = await issueVoucher(as(GD), a.voucher);
  step(`(a) 广东 issued the sealed contribution voucher ${a.voucher.id} (参保缴费凭证) to the person`);
  await register(as(ZJ), COMPLETED, voucher);
  await submit(as(ZJ), COMPLETED, a.letter);
  step("(a) 浙江 registered the application with the voucher and sent the contact letter to 广东");
  await caseStatus(as(GD), COMPLETED.caseId, "contact-letter-received");
  await voucherRecognised(as(GD), COMPLETED.caseId);
  await acknowledge(as(GD), ["contact-letter"], COMPLETED.caseId);
  step("(a) 广东 received the contact letter and acknowledged it (business receipt)");

  await register(as(GD), RETURNED);
  await submit(as(GD), RETURNED, b.letter);
  step("(b) 广东 registered an application from 四川 and sent the contact letter");
  await caseStatus(as(SC), RETURNED.caseId, "contact-letter-received");
  await acknowledge(as(SC), ["contact-letter"], RETURNED.caseId);
  step("(b) 四川 received the contact letter and acknowledged it");

  await submit(as(GD), COMPLETED, a.record);
  await submit(as(GD), COMPLETED, a.funds);
  await caseStatus(as(ZJ), COMPLETED.caseId, "awaiting-completion");
  await acknowledge(as(ZJ), ["insurance-record", "fund-transfer"], COMPLETED.caseId);
  step("(a) 广东 sent the insurance record and the fund transfer; 浙江 received and acknowledged both");
  await Promise.all([GD, ZJ, SC].map((id) => outboxSettled(cluster, id)));

  // 广东's gateway goes down mid-transfer.
  const stopped = await cluster.gateways[GD]!.stop("SIGTERM");
  const stoppedAtMs = performance.now() - t0;
  step(`广东's gateway stopped (SIGTERM, exit ${stopped.code}) — 浙江 and 四川 keep submitting`);
  await submit(as(ZJ), COMPLETED, a.completion);
  step("(a) 浙江 sent the completion to 广东 (queued: 广东 is down)");
  await submit(as(SC), RETURNED, b.ret);
  step("(b) 四川 returned 广东's contact letter: ARREARS (queued: 广东 is down)");

  const waiting = [
    { sender: ZJ, id: a.completion.id },
    { sender: SC, id: b.ret.id },
  ];
  const failedAttempts: Record<string, number> = {};
  await waitFor(
    async () => {
      for (const w of waiting) {
        const d = await deliveryOf(cluster, w.sender, w.id);
        if (!d || !PENDING.has(d.state)) return undefined;
        failedAttempts[w.id] = d.attempts - (d.state === "sending" ? 1 : 0);
      }
      const enough = Object.values(failedAttempts).every((n) => n >= 2);
      return enough && performance.now() - t0 - stoppedAtMs >= outageMs ? true : undefined;
    },
    "retries to the stopped gateway",
    outageMs + SLACK_MS,
    100,
  ); // follows the outage asked for
  step(
    `retries while 广东 is down: ${waiting.map((w) => `${w.id} ${failedAttempts[w.id]} failed attempts`).join(", ")}`,
  );

  await cluster.start(GD);
  const restartedAtMs = performance.now() - t0;
  step(`广东's gateway started again on the same port (pid ${cluster.gateways[GD]!.pid})`);
  await caseStatus(as(GD), COMPLETED.caseId, "completed");
  await caseStatus(as(GD), RETURNED.caseId, "returned");
  step("the queued completion and return reached 广东: (a) completed, (b) returned");
  await acknowledge(as(GD), ["completion"], COMPLETED.caseId);
  await acknowledge(as(GD), ["return"], RETURNED.caseId);
  step("广东 acknowledged the completion and the return (business receipts)");
  await Promise.all([GD, ZJ, SC].map((id) => outboxSettled(cluster, id)));
  step("every outbox is empty: all documents and business receipts delivered");

  return {
    outage: {
      agencyId: GD,
      requestedMs: outageMs,
      stoppedAtMs,
      restartedAtMs,
      documentIds: waiting.map((w) => w.id),
      failedAttempts,
    },
    steps,
  };
}

interface SealedVoucher {
  document: { body: { person: { name: string; idNumber: string } } };
  seal: string;
}

/** The transfer-out agency issues the voucher; the person takes the sealed JSON away. */
async function issueVoucher(agency: Api, voucher: DocumentInput): Promise<SealedVoucher> {
  const issued = expectStatus(
    await agency.post("/v1/vouchers", { id: voucher.id, body: voucher.body }),
    201,
    `issue voucher ${voucher.id}`,
  );
  return issued.sealed as SealedVoucher;
}

async function register(agency: Api, plan: TransferPlan, voucher?: SealedVoucher): Promise<void> {
  const person = voucher?.document.body.person;
  const presented = voucher && person ? { person: { name: person.name, idNumber: person.idNumber }, voucher } : {};
  expectStatus(
    await agency.post("/v1/cases", { transferOutAgency: plan.transferOut, caseId: plan.caseId, ...presented }),
    201,
    `register ${plan.caseId}`,
  );
}

/** The transfer-out agency's case shows the voucher the letter names as one it issued. */
async function voucherRecognised(agency: Api, caseId: string): Promise<void> {
  const view = expectStatus(await agency.get(`/v1/cases/${encodeURIComponent(caseId)}`), 200, `case ${caseId}`);
  if (view.voucher?.check !== "issued-here")
    throw new Error(`case ${caseId}: the voucher was not recognised (${JSON.stringify(view.voucher)})`);
}

async function submit(agency: Api, plan: TransferPlan, doc: DocumentInput): Promise<void> {
  const body = { type: doc.type, id: doc.id, body: doc.body, ...(doc.replyTo ? { replyTo: doc.replyTo } : {}) };
  expectStatus(
    await agency.post(`/v1/cases/${encodeURIComponent(plan.caseId)}/documents`, body),
    201,
    `submit ${doc.type} ${doc.id}`,
  );
}

async function caseStatus(agency: Api, caseId: string, status: string): Promise<void> {
  await waitFor(
    async () => {
      const res = await agency.get(`/v1/cases/${encodeURIComponent(caseId)}`);
      return res.status === 200 && res.body.status === status ? true : undefined;
    },
    `case ${caseId} ${status} at ${agency.url}`,
    20_000,
  );
}

/** Acknowledge the received documents of these types for the case (each exactly once). */
async function acknowledge(agency: Api, types: string[], caseId: string): Promise<void> {
  const entries = await waitFor(
    async () => {
      const inbox = await agency.get("/v1/inbox?limit=200");
      const found = (
        inbox.body.entries as { documentId: string; type: string; caseId: string; state: string; from: string }[]
      ).filter((e) => e.caseId === caseId && types.includes(e.type) && e.state === "received");
      return found.length === types.length ? found : undefined;
    },
    `${types.join(", ")} in the inbox at ${agency.url}`,
  );
  for (const e of entries) {
    expectStatus(
      await agency.post(`/v1/inbox/${encodeURIComponent(e.documentId)}/ack?from=${e.from}`, {}),
      201,
      `acknowledge ${e.documentId}`,
    );
  }
}

export interface DeliveryView {
  id: string;
  documentId?: string;
  target: string;
  state: string;
  attempts: number;
  lastError?: string;
  createdAt: string;
  updatedAt: string;
}

export async function deliveriesOf(cluster: Cluster, agencyId: string): Promise<DeliveryView[]> {
  const gw = cluster.gateways[agencyId]!;
  return expectStatus(
    await api(gw.url, gw.tokens.admin).get("/v1/deliveries?limit=500"),
    200,
    `deliveries of ${agencyId}`,
  ).deliveries;
}

async function deliveryOf(cluster: Cluster, agencyId: string, documentId: string): Promise<DeliveryView | undefined> {
  return (await deliveriesOf(cluster, agencyId)).find((d) => d.documentId === documentId);
}

/** Wait until nothing is left to send from this gateway (everything delivered, or failed for good). */
export async function outboxSettled(cluster: Cluster, agencyId: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    async () => ((await deliveriesOf(cluster, agencyId)).some((d) => PENDING.has(d.state)) ? undefined : true),
    `${agencyId}'s outbox to drain`,
    timeoutMs,
  );
}
