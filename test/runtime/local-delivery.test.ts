import { describe, expect, it } from "vitest";
import { CodedError } from "../../src/domain/errors.ts";
import { STATUS_OF, describeError, type ErrorCode } from "../../src/http/errors.ts";
import { outcomeOfRefusal, outcomeOfResponse } from "../../src/runtime/http-outcome.ts";
import { isRetryableRefusal } from "../../src/domain/delivery/backoff.ts";
import type { TransportOutcome } from "../../src/usecases/index.ts";
import { contactLetter, createTestApp, type TestApp } from "../http/app-harness.ts";

/**
 * A hosted recipient is delivered through the same receiving pipeline as a remote one (compose.ts), and
 * its refusals are recorded with the status and code the HTTP edge answers (src/http/errors.ts).
 */

/** What a remote sender records when /v1/exchange refuses with `err`: the edge's answer, read back. */
function overHttp(err: unknown): TransportOutcome {
  const { status, body } = describeError(err, "r");
  return outcomeOfResponse(status, new TextEncoder().encode(JSON.stringify(body)));
}

class SomeCodedError extends CodedError<string> {}

describe("outcomeOfRefusal", () => {
  const codes = Object.keys(STATUS_OF) as ErrorCode[];

  it.each(codes)("records %s with the status and code of the HTTP edge", (code) => {
    const err = new SomeCodedError(code, `refused: ${code}`);
    expect(outcomeOfRefusal(err)).toEqual(overHttp(err));
    expect(outcomeOfRefusal(err)).toMatchObject({ kind: "rejected", status: STATUS_OF[code], code });
  });

  it("records CASE_CONFLICT as 409 like the edge, and the dispatcher retries it: the next attempt delivers", () => {
    const outcome = outcomeOfRefusal(new SomeCodedError("CASE_CONFLICT", "the case changed concurrently; retry"));
    expect(outcome).toMatchObject({ kind: "rejected", status: 409, code: "CASE_CONFLICT" });
    expect(isRetryableRefusal(409, "CASE_CONFLICT")).toBe(true);
  });

  it("records an uncoded error as 500 INTERNAL, keeping its message for the outbox", () => {
    const err = new Error("disk on fire");
    expect(outcomeOfRefusal(err)).toEqual({ kind: "rejected", status: 500, code: "INTERNAL", message: "disk on fire" });
    expect(overHttp(err)).toMatchObject({ status: 500, code: "INTERNAL" });
  });

  // The dispatcher retries 408, 425, 429, 5xx and CASE_CONFLICT, and fails the delivery on any other refusal. For every
  // code the receiving pipeline raises, that decision is what it was before the statuses came from the map.
  it.each([
    ["SEAL_TRY_LATER", 503, true],
    ["CASE_CONFLICT", 409, true],
    ["STORE_UNAVAILABLE", 503, true],
    ["INTERNAL", 500, true],
    ["DOCUMENT_CONFLICT", 409, false],
    ["DOCUMENT_INVALID", 422, false],
    ["TYPE_NOT_SUBMITTABLE", 422, false],
    ["BODY_TOO_LARGE", 413, false],
    ["SEAL_INVALID", 422, false],
    ["SEAL_UNTRUSTED", 422, false],
    ["SEAL_AGENCY_MISMATCH", 422, false],
    ["SEAL_NOT_LISTED", 422, false],
    ["SEAL_FORMAT_NOT_LISTED", 422, false],
    ["RECIPIENT_NOT_HOSTED", 404, false],
    ["DOCUMENT_NOT_FOUND", 404, false],
    ["WRONG_PARTY", 403, false],
    ["NOT_ACKNOWLEDGEABLE", 409, false],
    ["ALREADY_ACKNOWLEDGED", 409, false],
    ["DIGEST_MISMATCH", 409, false],
    ["ILLEGAL_TRANSITION", 409, false],
    ["CASE_CLOSED", 409, false],
    ["CASE_NOT_OPENED", 409, false],
    ["CASE_ALREADY_OPENED", 409, false],
    ["CASE_COMMAND_INVALID", 422, false],
  ] as const)("records %s as %i (retried: %s)", (code, status, retried) => {
    const outcome = outcomeOfRefusal(new SomeCodedError(code, "refused"));
    expect(outcome).toMatchObject({ kind: "rejected", status, code });
    expect(isRetryableRefusal(status, code)).toBe(retried);
  });
});

describe("local delivery (hosted to hosted)", () => {
  const deliver = (t: TestApp, bytes: Uint8Array) => t.gw.deps.transport.deliver("440000", bytes);
  const exchange = (t: TestApp, bytes: Uint8Array) => t.call("POST", "/v1/exchange", { raw: bytes });
  const altered = (doc: Record<string, unknown>) => ({
    ...doc,
    body: { ...(doc.body as object), letterNumber: "浙社保联〔2024〕9999号" },
  });

  describe("when the same (from, id) comes back with other content", () => {
    it("is recorded as 409 DOCUMENT_CONFLICT, exactly as a remote sender records the edge's answer", async () => {
      const t = await createTestApp();
      try {
        const local = contactLetter(t.gw, { id: "ZJ-LXH-L-1", caseId: "CASE-L-1" });
        expect((await deliver(t, t.sealed(local))).kind).toBe("receipt");
        const outcome = await deliver(t, t.sealed(altered(local)));
        expect(outcome).toMatchObject({ kind: "rejected", status: 409, code: "DOCUMENT_CONFLICT" });

        const remote = contactLetter(t.gw, { id: "ZJ-LXH-L-2", caseId: "CASE-L-2" });
        expect((await exchange(t, t.sealed(remote))).status).toBe(201);
        const res = await exchange(t, t.sealed(altered(remote)));
        const answered = outcomeOfResponse(res.status, new Uint8Array(await res.arrayBuffer()));
        expect(answered).toMatchObject({ kind: "rejected", status: 409, code: "DOCUMENT_CONFLICT" });
        expect({ ...outcome, message: "" }).toEqual({ ...answered, message: "" });
      } finally {
        await t.gw.close();
      }
    });
  });

  describe("when the store is unavailable", () => {
    it("is recorded as 503 STORE_UNAVAILABLE (retried), as the edge answers", async () => {
      const t = await createTestApp();
      const bytes = t.sealed(contactLetter(t.gw, { id: "ZJ-LXH-L-3", caseId: "CASE-L-3" }));
      await t.gw.close();
      const outcome = await deliver(t, bytes);
      expect(outcome).toMatchObject({ kind: "rejected", status: 503, code: "STORE_UNAVAILABLE" });
      const res = await exchange(t, bytes);
      expect(res.status).toBe(503);
      expect((await res.json()).code).toBe("STORE_UNAVAILABLE");
      expect(isRetryableRefusal((outcome as { status: number }).status, (outcome as { code: string }).code)).toBe(true);
    });
  });
});
