import a1 from "../../schemas/examples/assess/A1.json" with { type: "json" };
import a2 from "../../schemas/examples/assess/A2.json" with { type: "json" };
import a3 from "../../schemas/examples/assess/A3.json" with { type: "json" };
import a4 from "../../schemas/examples/assess/A4.json" with { type: "json" };
import temporaryAccount from "../../schemas/examples/assess/temporary-account-required.json" with { type: "json" };
import businessReceipt from "../../schemas/examples/business-receipt.json" with { type: "json" };
import completion from "../../schemas/examples/completion.json" with { type: "json" };
import contactLetter from "../../schemas/examples/contact-letter.json" with { type: "json" };
import contributionVoucher from "../../schemas/examples/contribution-voucher.json" with { type: "json" };
import discrepancy from "../../schemas/examples/discrepancy.json" with { type: "json" };
import fundTransfer from "../../schemas/examples/fund-transfer.json" with { type: "json" };
import registerCase from "../../schemas/examples/http/register-case.json" with { type: "json" };
import captured from "../../schemas/examples/http/responses.json" with { type: "json" };
import sealedContactLetter from "../../schemas/examples/http/sealed-contact-letter.json" with { type: "json" };
import insuranceRecord from "../../schemas/examples/insurance-record.json" with { type: "json" };
import returnDocument from "../../schemas/examples/return.json" with { type: "json" };

/**
 * Examples of /openapi.json (issue 15 item 1), all read from schemas/examples — imported, so the Worker
 * bundle carries them like the schemas: request bodies are the example documents as they are (the
 * submission route takes their envelopes), responses are what a test gateway answered on the README
 * walkthrough (schemas/examples/http/responses.json, written by test/http/capture-examples.ts).
 * Keyed "method /openapi/path"; the first example of a body is the one /docs puts in its "try it" box.
 */
export type Examples = Record<string, { summary?: string; value: unknown }>;

const named = (values: Record<string, unknown>): Examples =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value }]));

const REQUESTS: Record<string, Examples> = {
  "post /v1/cases": named({ "register-case": registerCase }),
  "post /v1/cases/{id}/documents": {
    ...named({
      "contact-letter": contactLetter,
      "insurance-record": insuranceRecord,
      "fund-transfer": fundTransfer,
      completion,
      discrepancy,
      return: returnDocument,
    }),
    "type-and-body": {
      summary: "type and body only: the gateway sets the envelope",
      value: { type: contactLetter.type, id: contactLetter.id, body: contactLetter.body },
    },
    sealed: { summary: "sealed by the agency's own signing system", value: { sealed: sealedContactLetter } },
  },
  "post /v1/vouchers": {
    ...named({ "contribution-voucher": contributionVoucher }),
    "id-and-body": {
      summary: "id and body only: the gateway sets the envelope",
      value: { id: contributionVoucher.id, body: contributionVoucher.body },
    },
  },
  "post /v1/inbox/{documentId}/ack": named({ accepted: { outcome: businessReceipt.body.outcome } }),
  "post /v1/exchange": named({ "sealed-contact-letter": sealedContactLetter }),
  "post /v1/documents/validate": named({
    "contact-letter": contactLetter,
    "sealed-contact-letter": sealedContactLetter,
  }),
  "post /v1/assessments": named({ A1: a1, A2: a2, A3: a3, A4: a4, "temporary-account-required": temporaryAccount }),
  "post /v1/verify": named({ "sealed-contact-letter": sealedContactLetter }),
  ...Object.fromEntries(Object.entries(captured.requests).map(([op, values]) => [op, named(values)])),
};

const RESPONSES = captured.responses as Record<string, Record<string, Record<string, unknown>>>;

/** Examples of an operation's request body, if any. */
export function requestExamples(method: string, path: string): Examples | undefined {
  return REQUESTS[`${method.toLowerCase()} ${path}`];
}

/** Examples of an operation's response with this status, if any. */
export function responseExamples(method: string, path: string, status: string): Examples | undefined {
  const values = RESPONSES[`${method.toLowerCase()} ${path}`]?.[status];
  return values ? named(values) : undefined;
}

/**
 * A path parameter's example, so /docs can send the request examples as they are: the walkthrough's case,
 * its contact letter (what the counterpart acknowledges) and the example voucher.
 */
export function parameterExample(path: string, name: string): string | undefined {
  if (name === "documentId") return contactLetter.id;
  if (name !== "id") return undefined;
  if (path.startsWith("/v1/cases/")) return registerCase.caseId;
  if (path.startsWith("/v1/vouchers/")) return contributionVoucher.id;
  return undefined;
}

/** One example per error code a response documents (the body every refusal carries). */
export function errorExamples(codes: readonly string[]): Examples {
  return Object.fromEntries(
    codes.map((code) => [
      code,
      {
        value: {
          code,
          message: "what went wrong, in words (English)",
          requestId: "0b9c7c1e-5d0a-4f55-9a57-3d1f1c2e8a41",
        },
      },
    ]),
  );
}
