import { readFileSync } from "node:fs";
import { validators } from "../src/domain/documents/validators.generated.ts";
import { validateSealedDocument } from "../src/domain/documents/index.ts";
import { readStrictJson } from "../src/domain/strict-json.ts";
import { canonicalBytes } from "../src/usecases/canonical.ts";
import { contactLetter } from "../bench/support/sealing.ts";
const doc = contactLetter({ id: "D-1", caseId: "C-1" });
const value = { document: doc, seal: "MIIB" + "A".repeat(2396) };
const V = validators as any;
function run(name: string, f: () => unknown) {
  for (let i = 0; i < 20000; i++) f();
  const t = performance.now();
  for (let i = 0; i < 50000; i++) f();
  console.log(name, ((performance.now() - t) / 50000 * 1000).toFixed(2), "us");
}
const now = new Date();
console.log(validateSealedDocument(value, { now }).problems);
run("validateSealedDocument", () => validateSealedDocument(value, { now }));
run("sealed-document schema", () => V["sealed-document"](value));
run("document schema", () => V["document"](doc));
run("contact-letter body", () => V["contact-letter"](doc.body));
run("seal regex", () => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/u.test(value.seal));
const bytes = new TextEncoder().encode(JSON.stringify(value));
run("readStrictJson", () => readStrictJson(bytes));
run("canonicalBytes", () => canonicalBytes(doc));
