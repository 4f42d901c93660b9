import { readFileSync } from "node:fs";
import { acknowledgeInbound, readInbox, registerApplication, submitDocument } from "../../src/usecases/index.ts";
import type { TestGateway } from "./gateway-harness.ts";

const example = (type: string) =>
  JSON.parse(readFileSync(new URL(`../../schemas/examples/${type}.json`, import.meta.url), "utf8"));

export const WALKED_CASE = "CASE-330000-2024-000815";

/**
 * A whole transfer between two hosted agencies (浙江 330000 in, 广东 440000 out): contact letter,
 * record and funds, completion, business receipts — every document and receipt archived.
 */
export async function walkTransfer(gw: TestGateway, caseId = WALKED_CASE): Promise<string> {
  const zj = gw.principal("330000");
  const gd = gw.principal("440000");
  await registerApplication(gw.deps, zj, { caseId, transferOutAgency: "440000" });
  const letter = example("contact-letter");
  await submitDocument(gw.deps, zj, caseId, { type: "contact-letter", body: letter.body, id: letter.id });
  await gw.dispatcher.runOnce();
  for (const type of ["insurance-record", "fund-transfer"] as const) {
    const doc = example(type);
    await submitDocument(gw.deps, gd, caseId, { type, body: doc.body, id: doc.id });
  }
  await gw.dispatcher.runOnce();
  const completion = example("completion");
  await submitDocument(gw.deps, zj, caseId, { type: "completion", body: completion.body, id: completion.id });
  await gw.dispatcher.runOnce();
  for (const e of (await readInbox(gw.deps, gd, undefined)).entries)
    await acknowledgeInbound(gw.deps, gd, { documentId: e.documentId });
  await gw.dispatcher.runOnce();
  return caseId;
}
