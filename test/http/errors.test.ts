import { describe, expect, it } from "vitest";
import { AssessmentError } from "../../src/domain/assessment/index.ts";
import { CaseError } from "../../src/domain/transfer-case/index.ts";
import { EdgeError, STATUS_OF, describeError } from "../../src/http/errors.ts";
import { GatewayError } from "../../src/usecases/index.ts";
import { StoreError } from "../../src/usecases/store-error.ts";

describe("STATUS_OF", () => {
  it("maps every code to a client or server error status", () => {
    for (const status of Object.values(STATUS_OF))
      expect(status === 401 || status === 403 || (status >= 400 && status < 600)).toBe(true);
  });

  it.each([
    ["UNAUTHENTICATED", 401],
    ["FORBIDDEN", 403],
    ["CASE_NOT_FOUND", 404],
    ["BODY_TOO_LARGE", 413],
    ["JSON_INVALID", 400],
    ["REQUEST_INVALID", 400],
    ["DOCUMENT_INVALID", 422],
    ["SEAL_AGENCY_MISMATCH", 422],
    ["SEAL_TRY_LATER", 503],
    ["DOCUMENT_CONFLICT", 409],
    ["ILLEGAL_TRANSITION", 409],
    ["WRONG_PARTY", 403],
    ["ASSESSMENT_INPUT_INVALID", 422],
    ["INTERNAL", 500],
  ] as const)("answers %s with %i", (code, status) => {
    expect(STATUS_OF[code]).toBe(status);
  });
});

describe("describeError", () => {
  describe("when a use case refuses with problems", () => {
    it("keeps the code, problems and report in the body", () => {
      const problems = [{ code: "SCHEMA" as const, path: "/body/person", message: "缺少", severity: "error" as const }];
      const { status, body, internal } = describeError(
        new GatewayError("DOCUMENT_INVALID", "invalid", { problems }),
        "r1",
      );
      expect({ status, internal }).toEqual({ status: 422, internal: false });
      expect(body).toEqual({ code: "DOCUMENT_INVALID", message: "invalid", requestId: "r1", problems });
    });
  });

  describe("when the domain refuses", () => {
    it("maps CaseError, StoreError and EdgeError codes", () => {
      expect(describeError(new CaseError("ILLEGAL_TRANSITION", "no"), "r").status).toBe(409);
      expect(describeError(new StoreError("STORE_UNAVAILABLE", "busy"), "r").status).toBe(503);
      expect(
        describeError(
          new EdgeError("REQUEST_INVALID", "bad", [{ code: "REQUEST_INVALID", path: "/limit", message: "x" }]),
          "r",
        ).body.problems,
      ).toHaveLength(1);
    });

    it("takes an AssessmentError's problems from its details", () => {
      const err = new AssessmentError("ASSESSMENT_INPUT_INVALID", "bad", {
        details: { problems: [{ path: "/history", message: "required" }] },
      });
      expect(describeError(err, "r").body.problems).toEqual([{ path: "/history", message: "required" }]);
    });
  });

  describe("when the error is not coded", () => {
    it("answers INTERNAL without leaking the message", () => {
      const { status, body, internal } = describeError(new Error("secret path /var/db"), "r9");
      expect({ status, internal }).toEqual({ status: 500, internal: true });
      expect(body).toEqual({ code: "INTERNAL", message: "internal error", requestId: "r9" });
    });
  });
});
