import { describe, expect, it } from "vitest";
import { commitMessage } from "../../src/storage/writer-protocol.ts";
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
});
