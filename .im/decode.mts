import { readFileSync } from "node:fs";
import { isUtf8 } from "node:buffer";
const doc = readFileSync("schemas/examples/contact-letter.json", "utf8");
const text = JSON.stringify({ document: JSON.parse(doc), seal: "A".repeat(2400) });
const bytes = new Uint8Array(Buffer.from(text));
console.log(bytes.length, /[^\x00-\x7f]/.test(text));
const fatal = new TextDecoder("utf-8", { fatal: true });
const loose = new TextDecoder("utf-8");
function run(name: string, f: () => unknown) {
  for (let i = 0; i < 20000; i++) f();
  const t = performance.now();
  for (let i = 0; i < 100000; i++) f();
  console.log(name, ((performance.now() - t) / 100000 * 1000).toFixed(2), "us");
}
run("fatal", () => fatal.decode(bytes));
run("loose", () => loose.decode(bytes));
run("isUtf8+toString", () => { if (!isUtf8(bytes)) throw 1; return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"); });
run("isUtf8", () => isUtf8(bytes));
run("parse", () => JSON.parse(text));
