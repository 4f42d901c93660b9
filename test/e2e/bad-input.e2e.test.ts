import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { agencySeal, contactLetter, example, loadSealer, type DocumentSealer } from "../../bench/support/sealing.ts";
import { removeDataDir, startGatewayProcess, type GatewayProcess } from "../../bench/support/gateway-process.ts";
import { shanghaiTimestamp } from "../../src/usecases/canonical.ts";
import { auditCount, client, exchange, exchangeOnce, rowCounts, type Answer } from "./support/http.ts";

/**
 * Issue 4 acceptance, bad input: every refusal answers its status and code, and leaves no row behind
 * (documents, cases, case events, deliveries counted in the gateway's SQLite file around the request).
 */
describe("bad input to a gateway process", () => {
  let gw: GatewayProcess;
  let zj: DocumentSealer;
  let gd: DocumentSealer;
  let counts: ReturnType<typeof rowCounts>;
  let n = 0;
  const next = (prefix: string) => `${prefix}-${process.pid}-${++n}`;
  const letter = (overrides: { from?: string; to?: string } = {}) =>
    contactLetter({ id: next("LX"), caseId: next("CASE-BAD"), ...overrides });
  const expectRefused = (res: Answer, status: number, code: string) => {
    expect(res.status, res.text).toBe(status);
    expect(res.body).toMatchObject({ code, requestId: expect.any(String) });
  };
  const expectNothingWritten = () => expect(rowCounts(gw.databasePath)).toEqual(counts);

  beforeAll(async () => {
    gw = await startGatewayProcess();
    zj = agencySeal(gw.dataDir, "330000");
    gd = agencySeal(gw.dataDir, "440000");
  });
  afterAll(async () => {
    if (gw) {
      await gw.stop("SIGKILL").catch(() => undefined);
      removeDataDir(gw.dataDir);
    }
  });
  beforeEach(() => {
    counts = rowCounts(gw.databasePath);
  });

  it("refuses a body over the size limit with 413 BODY_TOO_LARGE", async () => {
    const res = await exchangeOnce(gw.url, `{"document":{},"seal":"${"A".repeat(1024 * 1024 + 16)}"}`);
    expectRefused(res, 413, "BODY_TOO_LARGE");
    expectNothingWritten();
  });

  it("refuses a body that is not JSON with 400 JSON_INVALID", async () => {
    expectRefused(await exchange(gw.url, "{not json"), 400, "JSON_INVALID");
    expectNothingWritten();
  });

  it("refuses a schema-invalid document with 422 DOCUMENT_INVALID and pointers to the problems", async () => {
    const sealed = JSON.parse(new TextDecoder().decode(zj.seal(letter())));
    sealed.document.from = "33";
    delete sealed.document.body.receivingAccount;
    const res = await exchange(gw.url, JSON.stringify(sealed));
    expectRefused(res, 422, "DOCUMENT_INVALID");
    const paths = (res.body.problems as { path: string }[]).map((p) => p.path);
    expect(paths).toContain("/document/from");
    expect(paths.some((p) => p.startsWith("/document/body"))).toBe(true);
    expectNothingWritten();
  });

  it("refuses a forged seal with 422 SEAL_INVALID", async () => {
    const sealed = JSON.parse(new TextDecoder().decode(zj.seal(letter())));
    const seal = Buffer.from(sealed.seal, "base64");
    seal[seal.length - 2]! ^= 0xff; // inside the signature value
    sealed.seal = seal.toString("base64");
    const res = await exchange(gw.url, JSON.stringify(sealed));
    expectRefused(res, 422, "SEAL_INVALID");
    expect(res.body.report).toMatchObject({ indication: "TOTAL_FAILED" });
    expectNothingWritten();
  });

  it("refuses a document sealed with another agency's certificate with 422 SEAL_AGENCY_MISMATCH", async () => {
    const res = await exchange(gw.url, gd.seal(letter({ from: "330000" })));
    expectRefused(res, 422, "SEAL_AGENCY_MISMATCH");
    expectNothingWritten();
  });

  it("refuses a seal by a revoked certificate with 422 and a REVOKED_NO_POE report", async () => {
    const revoked = loadSealer(gw.dataDir, "revoked/110000-seal-superseded");
    const res = await exchange(gw.url, revoked.seal(letter({ from: "110000" })));
    expectRefused(res, 422, "SEAL_UNTRUSTED");
    expect(res.body.report).toMatchObject({ subIndication: "REVOKED_NO_POE" });
    expectNothingWritten();
  });

  it("refuses a recipient this gateway does not host with 404 RECIPIENT_NOT_HOSTED", async () => {
    expectRefused(await exchange(gw.url, zj.seal(letter({ to: "120000" }))), 404, "RECIPIENT_NOT_HOSTED");
    expectNothingWritten();
  });

  it("answers a replayed document with 200 and the original receipt", async () => {
    const bytes = zj.seal(letter());
    const first = await exchange(gw.url, bytes);
    expect(first.status, first.text).toBe(201);
    const afterFirst = rowCounts(gw.databasePath);
    expect(afterFirst.documents).toBe(counts.documents + 1);

    const again = await exchange(gw.url, bytes);
    expect(again.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(rowCounts(gw.databasePath)).toEqual(afterFirst);
  });

  it("refuses an equivocating replay (same sender and id, other content) with 409 DOCUMENT_CONFLICT", async () => {
    const original = letter();
    expect((await exchange(gw.url, zj.seal(original))).status).toBe(201);
    counts = rowCounts(gw.databasePath);

    const securityEvents = auditCount(gw.databasePath, "security.equivocation");

    const altered = structuredClone(original) as { body: { handler: string } };
    altered.body.handler = "李四";
    expectRefused(await exchange(gw.url, zj.seal(altered)), 409, "DOCUMENT_CONFLICT");
    expectNothingWritten();
    expect(auditCount(gw.databasePath, "security.equivocation")).toBe(securityEvents + 1);
  });

  it("refuses a completion for a case that has no contact letter with 409 (exchange)", async () => {
    const completion = {
      ...example("completion"),
      id: next("BJ"),
      caseId: next("CASE-BAD"),
      issuedAt: shanghaiTimestamp(new Date()),
    };
    const res = await exchange(gw.url, zj.seal(completion));
    expect(res.status, res.text).toBe(409);
    expect(["ILLEGAL_TRANSITION", "CASE_NOT_OPENED"]).toContain(res.body.code);
    expectNothingWritten();
  });

  it("refuses an agency submitting a completion before its contact letter with 409 ILLEGAL_TRANSITION", async () => {
    const api = client(gw.url, gw.tokens["330000"]);
    const caseId = next("CASE-BAD");
    expect((await api.post("/v1/cases", { transferOutAgency: "440000", caseId })).status).toBe(201);
    counts = rowCounts(gw.databasePath);

    const completion = example("completion");
    const res = await api.post(`/v1/cases/${caseId}/documents`, {
      type: "completion",
      body: completion.body,
      id: next("BJ"),
    });
    expectRefused(res, 409, "ILLEGAL_TRANSITION");
    expectNothingWritten();
  });

  it("does not show a case to another agency's token (404)", async () => {
    const caseId = next("CASE-BAD");
    expect(
      (await client(gw.url, gw.tokens["330000"]).post("/v1/cases", { transferOutAgency: "440000", caseId })).status,
    ).toBe(201);

    const res = await client(gw.url, gw.tokens["510000"]).get(`/v1/cases/${caseId}`);
    expectRefused(res, 404, "CASE_NOT_FOUND");
  });

  it("refuses a request without a bearer token with 401 UNAUTHENTICATED", async () => {
    const anonymous = client(gw.url);
    expectRefused(
      await anonymous.post("/v1/cases", { transferOutAgency: "440000", caseId: next("CASE-BAD") }),
      401,
      "UNAUTHENTICATED",
    );
    expectRefused(await anonymous.get("/v1/inbox"), 401, "UNAUTHENTICATED");
    expectNothingWritten();
  });
});
