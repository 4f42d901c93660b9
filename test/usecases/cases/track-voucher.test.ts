import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { printTrackedVoucher } from "../../../src/usecases/index.ts";
import { createTestApp, type TestApp } from "../../http/app-harness.ts";
import { PERSON, walker } from "../../http/pages/walk.ts";

// The printer is the print helper's (issue 13 item 2): here it only reports which stored copy it was handed.
const printed = vi.hoisted(() => [] as { documentId: string; type: string; documentSha256: string }[]);
vi.mock("../../../src/usecases/print/print-document.ts", () => ({
  printStoredDocument: async (_deps: unknown, record: { documentId: string; type: string; documentSha256: string }) => {
    printed.push(record);
    return { pdf: new Uint8Array([0x25, 0x50, 0x44, 0x46]), filename: `${record.documentId}.pdf` };
  },
}));

describe("printTrackedVoucher", () => {
  let t: TestApp;
  let client = 0;
  beforeEach(async () => {
    t = await createTestApp();
    printed.length = 0;
  });
  afterEach(async () => t.gw.close());

  const download = (reference: string, idNumber = PERSON.idNumber) =>
    printTrackedVoucher(t.gw.deps, { reference, idNumber, client: `c${++client}` }, { baseUrl: "http://gw.test" });

  it("prints the stored copy of the case's voucher, found by case id or voucher id", async () => {
    const w = walker(t, 1);
    const voucherId = await w.register({ voucher: true });
    await w.letter();
    expect(await download(w.caseId)).toMatchObject({ kind: "pdf", filename: `${voucherId}.pdf` });
    expect(await download(voucherId!)).toMatchObject({ kind: "pdf" });
    expect(printed.map((r) => [r.documentId, r.type])).toEqual([
      [voucherId, "contribution-voucher"],
      [voucherId, "contribution-voucher"],
    ]);
  });

  it("is what POST /track/voucher.pdf answers: the PDF as an attachment, no cookie", async () => {
    const w = walker(t, 4);
    const voucherId = await w.register({ voucher: true });
    const res = await t.app.request("/track/voucher.pdf", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ reference: w.caseId, idNumber: PERSON.idNumber }).toString(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="${voucherId}.pdf"; filename*=UTF-8''${voucherId}.pdf`,
    );
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([0x25, 0x50, 0x44, 0x46]));
  });

  it("answers not-found for a wrong pair and no-voucher for a case without one, printing nothing", async () => {
    const w = walker(t, 2);
    await w.register({ voucher: true });
    expect(await download(w.caseId, "11010519491231002X")).toEqual({ kind: "not-found" });
    const bare = walker(t, 3);
    await bare.register();
    expect(await download(bare.caseId)).toEqual({ kind: "no-voucher" });
    expect(printed).toEqual([]);
  });
});
