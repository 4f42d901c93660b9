import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCalendar, toShanghaiDate } from "../../src/domain/calendar/index.ts";
import { example } from "../../bench/support/sealing.ts";
import { removeDataDir, startGatewayProcess, type GatewayProcess } from "../../bench/support/gateway-process.ts";
import { client, eventually, type Answer } from "./support/http.ts";

/**
 * Issue 4 acceptance: the gateway started as a user starts it (`jiexu serve`, its own process, a
 * loopback port) walks a transfer 广东 440000 → 浙江 330000 over HTTP only, with business receipts.
 */
const CASE = "CASE-330000-2024-000815";
const ZJ = "330000"; // transfer-in (转入地)
const GD = "440000"; // transfer-out (转出地)
const calendar = createCalendar();

describe("a transfer 广东 → 浙江 through a gateway process", () => {
  let gw: GatewayProcess;
  let zj: ReturnType<typeof client>;
  let gd: ReturnType<typeof client>;

  beforeAll(async () => {
    gw = await startGatewayProcess();
    zj = client(gw.url, gw.tokens[ZJ]);
    gd = client(gw.url, gw.tokens[GD]);
  });
  afterAll(async () => {
    if (gw) {
      await gw.stop("SIGKILL").catch(() => undefined);
      removeDataDir(gw.dataDir);
    }
  });

  const caseOf = (api: ReturnType<typeof client>) => api.get(`/v1/cases/${CASE}`);
  const caseWithStatus = (api: ReturnType<typeof client>, status: string) =>
    eventually(async () => {
      const res = await caseOf(api);
      return res.status === 200 && res.body.status === status ? res.body : undefined;
    }, `case status ${status}`);
  const submit = async (api: ReturnType<typeof client>, type: string) => {
    const doc = example(type);
    const res = await api.post(`/v1/cases/${CASE}/documents`, {
      type,
      body: doc.body,
      id: doc.id,
      ...(doc.replyTo ? { replyTo: doc.replyTo } : {}),
    });
    expect(res.status, res.text).toBe(201);
    return res.body;
  };
  const acknowledgeInbox = async (api: ReturnType<typeof client>, types: string[]) => {
    const inbox = await api.get("/v1/inbox");
    expect(inbox.status).toBe(200);
    const entries = (inbox.body.entries as { documentId: string; type: string; state: string }[]).filter(
      (e) => types.includes(e.type) && e.state === "received",
    );
    expect(entries.map((e) => e.type).sort()).toEqual([...types].sort());
    for (const e of entries)
      expect((await api.post(`/v1/inbox/${encodeURIComponent(e.documentId)}/ack`, {})).status).toBe(201);
  };
  const expectDeadline = (view: any, step: string, owedBy: string, window: [Date, Date]) => {
    const [deadline] = view.openDeadlines;
    expect(deadline).toMatchObject({ step, owedBy, workingDays: 15 });
    expect([toShanghaiDate(window[0]), toShanghaiDate(window[1])]).toContain(deadline.startedOn);
    expect(deadline.due).toBe(calendar.addWorkingDays(deadline.startedOn, 15, { region: owedBy }).due);
    expect(deadline.overdue).toBe(false);
  };

  it("walks application, contact letter, record and funds, completion and business receipts", async () => {
    // When 浙江 registers the application naming 广东 as transfer-out
    const before = new Date();
    const registered: Answer = await zj.post("/v1/cases", { transferOutAgency: GD, caseId: CASE });
    expect(registered.status, registered.text).toBe(201);
    expect(registered.body.status).toBe("application-registered");
    expectDeadline(registered.body, "contact-letter", ZJ, [before, new Date()]);

    // and sends the contact letter, which 广东 receives (delivered by the dispatcher) and acknowledges
    const sentLetterAt = new Date();
    await submit(zj, "contact-letter");
    const atTransferOut = await caseWithStatus(gd, "contact-letter-received");
    expectDeadline(atTransferOut, "record-and-funds", GD, [sentLetterAt, new Date()]);
    await acknowledgeInbox(gd, ["contact-letter"]);

    // and 广东 sends the insurance record and the fund transfer, which 浙江 receives and acknowledges
    const sentRecordAt = new Date();
    await submit(gd, "insurance-record");
    await submit(gd, "fund-transfer");
    const atTransferIn = await caseWithStatus(zj, "awaiting-completion");
    expectDeadline(atTransferIn, "completion", ZJ, [sentRecordAt, new Date()]);
    await acknowledgeInbox(zj, ["insurance-record", "fund-transfer"]);

    // and 浙江 sends the completion, which 广东 receives and acknowledges
    await submit(zj, "completion");
    await caseWithStatus(gd, "completed");
    await acknowledgeInbox(gd, ["completion"]);

    // Then both sides end completed, every document verified, delivered and receipted
    const settled = (view: any) =>
      view.documents.every(
        (d: any) =>
          d.direction === "in" ||
          (d.state === "delivered" && d.receipted && (d.type === "business-receipt" || d.businessReceiptId)),
      );
    const [zjView, gdView] = await Promise.all([
      eventually(async () => {
        const v = (await caseOf(zj)).body;
        return settled(v) ? v : undefined;
      }, "浙江's documents settled"),
      eventually(async () => {
        const v = (await caseOf(gd)).body;
        return settled(v) ? v : undefined;
      }, "广东's documents settled"),
    ]);
    for (const [view, sent, received] of [
      [zjView, ["contact-letter", "completion"], ["insurance-record", "fund-transfer"]],
      [gdView, ["insurance-record", "fund-transfer"], ["contact-letter", "completion"]],
    ] as const) {
      expect(view.status).toBe("completed");
      expect(view.openDeadlines).toEqual([]);
      const caseDocs = view.documents.filter((d: any) => d.type !== "business-receipt");
      expect(
        caseDocs
          .filter((d: any) => d.direction === "out")
          .map((d: any) => d.type)
          .sort(),
      ).toEqual([...sent].sort());
      expect(
        caseDocs
          .filter((d: any) => d.direction === "in")
          .map((d: any) => d.type)
          .sort(),
      ).toEqual([...received].sort());
      for (const d of caseDocs.filter((d: any) => d.direction === "out")) {
        expect(d).toMatchObject({ state: "delivered", receipted: true, businessReceiptId: expect.any(String) });
      }
      for (const d of view.documents.filter((d: any) => d.direction === "in")) {
        expect(d).toMatchObject({ receipted: true, verification: { indication: "TOTAL_PASSED" } });
      }
      // The business receipts this side sent for what it received were delivered and receipted too.
      const receipts = view.documents.filter((d: any) => d.type === "business-receipt" && d.direction === "out");
      expect(receipts).toHaveLength(received.length);
      expect(receipts.every((d: any) => d.state === "delivered" && d.receipted)).toBe(true);
    }
    const inboxes = await Promise.all([zj.get("/v1/inbox"), gd.get("/v1/inbox")]);
    for (const inbox of inboxes) {
      expect(inbox.body.entries.length).toBeGreaterThan(0);
      expect(inbox.body.entries.every((e: any) => e.report?.indication === "TOTAL_PASSED")).toBe(true);
    }
  });

  it("stops promptly with exit code 0 on SIGTERM", async () => {
    // A process of its own: stopping the one the walk uses would make the walk depend on running first.
    const own = await startGatewayProcess();
    try {
      // When the operator sends SIGTERM, then the process finishes in-flight work and exits 0
      const stopped = await own.stop("SIGTERM", 10_000);
      expect(stopped).toMatchObject({ code: 0, signal: null });
      expect(stopped.ms).toBeLessThan(5_000);
    } finally {
      await own.stop("SIGKILL").catch(() => undefined);
      removeDataDir(own.dataDir);
    }
  });
});
