import { describe, expect, it } from "vitest";
import { commitMessage } from "../../src/storage/writer-protocol.ts";
import type { WireDocument } from "../../src/storage/writes.ts";
import { documentRecord, ingestChange } from "./fixtures.ts";

describe("the commit message to the writer thread (issue 12)", () => {
  it("sends a change whose bytes own their buffers as it is", () => {
    const change = ingestChange("case-1", "doc-1");
    const message = commitMessage(7, change);
    expect(message).toEqual({ type: "commit", id: 7, change });
    expect(message.type === "commit" && message.change).toBe(change);
  });

  it("cuts a view into a larger buffer down to its bytes, so the clone does not copy the rest", () => {
    const slab = new Uint8Array(8192).fill(0x41);
    const canonical = slab.subarray(100, 120);
    const seal = slab.subarray(4000, 4010);
    const change = { ...ingestChange("case-1", "doc-1"), newDocuments: [documentRecord({ canonical, seal })] };
    const message = commitMessage(1, change);
    if (message.type !== "commit") throw new Error("not a commit");
    const sent = message.change.newDocuments![0]!;
    expect(sent.canonical.buffer.byteLength).toBe(20);
    expect(sent.seal.buffer.byteLength).toBe(10);
    expect(sent.canonical).toEqual(canonical);
    expect(sent.seal).toEqual(seal);
    expect(change.newDocuments[0]!.canonical).toBe(canonical);
  });

  it("sends a report as its JSON text and the two times the writer's template cuts out", () => {
    const report = {
      indication: "TOTAL_PASSED",
      validationTime: "2026-12-01T13:19:32.699Z",
      signingTime: "2026-12-01T13:19:22.000Z",
      checks: [{ id: "CV.signature", status: "PASSED", detail: "valid at 2026-12-01T13:19:32.699Z" }],
    } as unknown as NonNullable<ReturnType<typeof documentRecord>["report"]>;
    const change = { ...ingestChange("case-1", "doc-1"), newDocuments: [documentRecord({ report })] };
    const message = commitMessage(2, structuredClone(change));
    if (message.type !== "commit") throw new Error("not a commit");
    const sent = message.change.newDocuments![0] as WireDocument;
    expect(sent.report).toBeUndefined();
    expect(sent.reportJson).toBe(JSON.stringify(report));
    expect(sent.reportTimes).toEqual({ validationTime: report.validationTime, signingTime: report.signingTime });
  });
});
