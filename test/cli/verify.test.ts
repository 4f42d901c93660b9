import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createNodePrinter } from "../../src/runtime/fonts.ts";
import { canonicalBytes } from "../../src/usecases/canonical.ts";
import { devPkiFixture, writeDevPki } from "../fixtures/dev-pki.ts";
import { jiexu } from "./run-jiexu.ts";

/**
 * `jiexu verify --seal` with what the gateway hands out (issue 15 item 3): its sealed-document JSON
 * `{ document, seal }` and a printed PDF carrying the sealed original, each without --content.
 */

const dir = mkdtempSync(join(tmpdir(), "jiexu-verify-cli-"));
const file = (name: string) => join(dir, name);
const document = JSON.parse(
  readFileSync(new URL("../../schemas/examples/contact-letter.json", import.meta.url), "utf8"),
) as Record<string, unknown>;
// The fixture PKI was made at 2026-03-02T08:00Z; its CRLs are current a day later.
const trust = () => [
  "--trust",
  file("pki/root.cert.pem"),
  "--crl",
  file("pki/root.crl.der"),
  "--crl",
  file("pki/issuing.crl.der"),
  "--at",
  "2026-03-03T00:00:00Z",
];

describe("jiexu verify with the gateway's own formats", () => {
  let sealed: { document: Record<string, unknown>; seal: string };

  beforeAll(async () => {
    await writeDevPki(await devPkiFixture(), file("pki"));
    writeFileSync(file("canonical.json"), canonicalBytes(document));
    const key = [
      "--key",
      file("pki/agencies/330000/seal.key.pem"),
      "--cert",
      file("pki/agencies/330000/seal.cert.pem"),
      "--chain",
      file("pki/chain.pem"),
    ];
    const at = ["--signing-time", "2026-03-02T09:00:00Z"];
    const sealing = await jiexu("seal", "--content", file("canonical.json"), ...key, ...at, "--out", file("d.p7s"));
    expect(sealing.code, sealing.stderr).toBe(0);
    sealed = { document, seal: readFileSync(file("d.p7s")).toString("base64") };
    writeFileSync(file("sealed.json"), JSON.stringify(sealed, null, 2));
  }, 60_000);

  it("verifies a sealed-document JSON with no --content: exit 0, TOTAL_PASSED, the document named", async () => {
    const r = await jiexu("verify", "--seal", file("sealed.json"), ...trust());
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("a sealed-document JSON: contact-letter ZJ-LXH-2024-000815 (330000 → 440000)");
    expect(r.stdout).toMatch(/^TOTAL_PASSED$/m);
  });

  it("answers 1 TOTAL_FAILED when the document was changed after sealing", async () => {
    writeFileSync(file("changed.json"), JSON.stringify({ ...sealed, document: { ...document, to: "510000" } }));
    const r = await jiexu("verify", "--seal", file("changed.json"), ...trust(), "--json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ indication: "TOTAL_FAILED" });
  });

  it("refuses --content next to a sealed-document JSON (64): the JSON carries what is sealed", async () => {
    const r = await jiexu("verify", "--seal", file("sealed.json"), "--content", file("canonical.json"), ...trust());
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("drop --content");
  });

  it("answers 65 for JSON that is not { document, seal }, and 66 for a seal file that is not there", async () => {
    writeFileSync(file("plain.json"), JSON.stringify(document));
    expect((await jiexu("verify", "--seal", file("plain.json"), ...trust())).code).toBe(65);
    const missing = await jiexu("verify", "--seal", file("nope.json"), ...trust());
    expect(missing.code).toBe(66);
    expect(missing.stderr).toContain("cannot read");
  });

  it("verifies the sealed original attached to a printed PDF (a voucher's print)", async () => {
    const printer = createNodePrinter(join(tmpdir(), "jiexu-font-cache"));
    const bytes = new TextEncoder().encode(JSON.stringify(sealed));
    const pdf = await printer.print({
      document,
      attachments: [{ name: `${String(document.id)}.sealed.json`, bytes }],
      documentSha256: "c0ffee".padEnd(64, "0"),
      verifyUrl: "https://jiexu.example/v/c0ffee",
      sealedBy: { agencyId: "330000", name: "浙江省社会保险基金管理局" },
      verification: { indication: "TOTAL_PASSED" },
      archive: { leafIndex: 3, treeSize: 4 },
    });
    writeFileSync(file("printed.pdf"), pdf);
    const r = await jiexu("verify", "--seal", file("printed.pdf"), ...trust());
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("the original attached to the PDF: contact-letter ZJ-LXH-2024-000815");
  }, 60_000);

  it("seal answers 65 for a key that does not load (wrong password) and 66 for a key file that is not there", async () => {
    const out = ["--content", file("canonical.json"), "--out", file("x.p7s")];
    const wrong = await jiexu("seal", "--key", file("pki/agencies/330000/seal.p12"), "--pass", "wrong", ...out);
    expect(wrong.code).toBe(65);
    expect(wrong.stderr).toContain("KEY_PASSWORD_WRONG");
    const missing = await jiexu("seal", "--key", file("pki/nope.pem"), ...out);
    expect(missing.code).toBe(66);
  });

  it("seal answers 73 naming the path for an output it cannot write, never 'cannot read'", async () => {
    const key = [
      "--key",
      file("pki/agencies/330000/seal.key.pem"),
      "--cert",
      file("pki/agencies/330000/seal.cert.pem"),
    ];
    for (const out of [file("no-such-dir/x.p7s"), file("canonical.json/x.p7s")]) {
      const r = await jiexu("seal", "--content", file("canonical.json"), ...key, "--out", out);
      expect(r.code, r.stderr).toBe(73);
      expect(r.stderr).toContain(`cannot write ${out}`);
    }
  });

  it("answers 65 for a PDF that carries no sealed original", async () => {
    writeFileSync(file("bogus.pdf"), "%PDF-1.7\nnot really a PDF\n");
    const r = await jiexu("verify", "--seal", file("bogus.pdf"), ...trust());
    expect(r.code).toBe(65);
  });
});
