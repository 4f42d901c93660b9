import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { expectStatus, waitFor, type Api } from "../../../src/cli/demo/api.ts";
import type { DocumentInput } from "../../../src/cli/demo/documents.ts";

/** The steps of a transfer walked through two gateways' APIs, for one case (cross-runtime and ses-transfer e2e). */
export function transferWalk(caseId: string) {
  async function submit(agency: Api, doc: DocumentInput, id = caseId): Promise<void> {
    const body = { type: doc.type, id: doc.id, body: doc.body, ...(doc.replyTo ? { replyTo: doc.replyTo } : {}) };
    expectStatus(await agency.post(`/v1/cases/${id}/documents`, body), 201, `submit ${doc.type} at ${agency.url}`);
  }

  async function caseStatus(agency: Api, status: string): Promise<void> {
    await waitFor(
      async () => ((await agency.get(`/v1/cases/${caseId}`)).body.status === status ? true : undefined),
      `case ${status} at ${agency.url}`,
      30_000,
    );
  }

  /** Acknowledge the received documents of these types (business receipts back to `from`). */
  async function acknowledge(agency: Api, from: string, types: string[]): Promise<void> {
    const entries = await waitFor(
      async () => {
        const found = ((await agency.get("/v1/inbox?limit=200")).body.entries as any[]).filter(
          (e) => types.includes(e.type) && e.state === "received",
        );
        return found.length === types.length ? found : undefined;
      },
      `${types.join(", ")} in the inbox at ${agency.url}`,
    );
    for (const e of entries)
      expectStatus(await agency.post(`/v1/inbox/${e.documentId}/ack?from=${from}`, {}), 201, `ack ${e.documentId}`);
  }

  /** Wait until the gateway's outbox holds nothing still to send (as its admin), running `pass` before each look. */
  async function outboxSettled(admin: Api, pass?: () => Promise<void>): Promise<void> {
    await waitFor(
      async () => {
        await pass?.();
        const { deliveries } = expectStatus(await admin.get("/v1/deliveries?limit=500"), 200, "deliveries");
        return (deliveries as { state: string }[]).every((d) => d.state === "delivered") ? true : undefined;
      },
      `the outbox at ${admin.url} to drain`,
      30_000,
      pass ? 1_000 : 100,
    );
  }

  return { submit, caseStatus, acknowledge, outboxSettled };
}

const ROOT = resolve(import.meta.dirname, "../../..");

/**
 * `jiexu ARGS` as a separate process, asynchronously: a blocked event loop would let the gateways' keep-alive
 * sockets of fetch's pool time out under it, and the next fetch would be sent on a socket the gateway has just
 * closed ("fetch failed: other side closed").
 */
export function runJiexu(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["bin/jiexu.js", ...args],
      { cwd: ROOT, encoding: "utf8", timeout: 60_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = (err as { code?: unknown } | null)?.code;
        resolve({ status: err ? (typeof code === "number" ? code : -1) : 0, stdout, stderr });
      },
    );
  });
}
