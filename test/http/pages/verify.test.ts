import { PDFDocument } from "@cantoo/pdf-lib";
import { zipSync } from "fflate";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { base64ToBytes } from "../../../src/pki/index.ts";
import { canonicalBytes } from "../../../src/usecases/canonical.ts";
import { createTestApp, type TestApp } from "../app-harness.ts";
import { GD, walker, ZJ } from "./walk.ts";
import { tampered, voucherBody } from "../../usecases/vouchers/support.ts";

type Sealed = { document: Record<string, unknown>; seal: string };

describe("/verify (issue 13 item 3)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ maxUploadBytes: 256 * 1024 });
  });
  afterEach(async () => t.gw.close());

  const issue = async (): Promise<{ sealed: Sealed; documentId: string }> => {
    const res = await t.call("POST", "/v1/vouchers", { token: t.gw.tokens[GD]!, body: { body: voucherBody() } });
    expect(res.status).toBe(201);
    return res.json();
  };
  const upload = (files: Record<string, Uint8Array | string>, lang = "") => {
    const form = new FormData();
    for (const [name, bytes] of Object.entries(files)) form.append(name, new Blob([bytes as BlobPart]), `${name}.bin`);
    return t.app.request(`/verify${lang}`, { method: "POST", body: form });
  };
  const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  const field = (html: string, id: string) => new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];

  it("serves the upload form with labelled file inputs", async () => {
    const res = await t.call("GET", "/verify");
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toMatch(/<label for="file">[^<]+<\/label><input type="file" id="file" name="file" required/);
    expect(html).toMatch(/<label for="content">/);
  });

  it("passes a good sealed document, verdict first, with a JSON report to download", async () => {
    const { sealed } = await issue();
    const res = await upload({ file: json(sealed) });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.indexOf('id="verdict"')).toBeLessThan(html.indexOf('id="indication"'));
    expect(field(html, "verdict")).toBe("核验通过");
    expect(field(html, "indication")).toBe("TOTAL_PASSED");
    expect(html).toContain('download="verification-report.json" href="data:application/json;base64,');
    expect(html).toContain("<details>");
  });

  it("fails a sealed document with one body field changed: HASH_FAILURE, explained", async () => {
    const voucher = await issue();
    const html = await (await upload({ file: json(tampered(voucher as never)) }, "?lang=en")).text();
    expect(field(html, "verdict")).toBe("Verification failed");
    expect(field(html, "sub-indication")).toBe("HASH_FAILURE");
    expect(html).toContain("The document was changed after it was sealed");
  });

  it("verifies a .p7s over its content file, in either order, and fails it over another content", async () => {
    const { sealed } = await issue();
    const p7s = base64ToBytes(sealed.seal);
    const content = canonicalBytes(sealed.document);
    const good = await (await upload({ file: content, content: p7s })).text();
    expect(field(good, "indication")).toBe("TOTAL_PASSED");
    const other = canonicalBytes({ ...sealed.document, id: "GD-PZ-OTHER" });
    const bad = await (await upload({ file: p7s, content: other })).text();
    expect(field(bad, "sub-indication")).toBe("HASH_FAILURE");
    const alone = await upload({ file: p7s });
    expect(alone.status).toBe(400);
  });

  it("verifies an evidence pack with the gateway's own anchors and key", async () => {
    const w = walker(t, 1);
    await w.register();
    await w.letter();
    const pack = await t.call("GET", `/v1/cases/${w.caseId}/evidence?agency=${ZJ}`, { token: t.gw.complianceToken });
    expect(pack.status).toBe(200);
    const html = await (await upload({ file: new Uint8Array(await pack.arrayBuffer()) })).text();
    expect(field(html, "verdict")).toBe("核验通过");
    expect(field(html, "anchors")).toContain("本网关的根证书");
  });

  it("answers friendly pages for an unknown file (400) and an upload over the limit (413)", async () => {
    const unknown = await upload({ file: "hello" });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("无法识别文件");
    // A PDF without a readable sealed original.
    const pdf = await upload({ file: "%PDF-1.7\n%%EOF\n" });
    expect(pdf.status).toBe(422);
    expect(await pdf.text()).toContain("此 PDF 没有附带电子原件，无法核验。");
    const big = await upload({ file: new Uint8Array(300 * 1024) });
    expect(big.status).toBe(413);
    expect(big.headers.get("connection")).toBe("close");
    expect(await big.text()).toContain("文件太大");
  });

  it("answers 503 with Retry-After for a PDF on a gateway that cannot read printed copies (no printer, as a Worker)", async () => {
    const { printer } = t.gw.deps;
    t.gw.deps.printer = undefined;
    try {
      const res = await upload({ file: "%PDF-1.7\n%%EOF\n" });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      t.gw.deps.printer = printer;
    }
  });

  it("refuses an evidence pack that would inflate past 16× the upload limit, quickly (413, review 13a #2)", async () => {
    const bomb = zipSync({ "manifest.json": [new Uint8Array(8 * 1024 * 1024), { level: 9 }] });
    expect(bomb.length).toBeLessThan(256 * 1024);
    const res = await upload({ file: bomb });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("文件解压后过大");
  });

  it("limits verifications per client: 429 with Retry-After past a generous burst", async () => {
    for (let i = 0; i < 30; i++) expect((await upload({ file: "hello" })).status).toBe(400);
    const limited = await upload({ file: "hello" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("核验次数过多");
  });

  it("refuses a PDF whose attachment would inflate past the gateway's cap (413, review 13a #3)", async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    await doc.attach(new Uint8Array(24 * 1024 * 1024).fill(0x20), "x.sealed.json", { mimeType: "application/json" });
    const bomb = await doc.save({ useObjectStreams: true });
    const res = await upload({ file: bomb });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("文件解压后过大");
  });

  it("says a printed PDF's text was not verified, and shows the original's key facts to compare (review 13a #7)", async () => {
    const { documentId } = await issue();
    const pdf = await t.call("GET", `/v1/vouchers/${documentId}/pdf`, { token: t.gw.tokens[GD]! });
    expect(pdf.status).toBe(200);
    const html = await (await upload({ file: new Uint8Array(await pdf.arrayBuffer()) })).text();
    expect(field(html, "verdict")).toBe("核验通过");
    expect(field(html, "printed-notice")).toContain("未核验打印在纸面上的文字");
    expect(field(html, "fact-type")).toBe("contribution-voucher");
    expect(field(html, "fact-id")).toBe(documentId);
    expect(field(html, "fact-issuer")).toBe("广东省社会保险基金管理局");
    expect(field(html, "fact-person")).toBe("陈*强 330106********123X");
    expect(field(html, "fact-account")).toBe("130,272.02 元");
    expect(field(html, "fact-paid-months")).toBe("324");
    expect(html).not.toContain("33010619760815123X");
    // A sealed JSON upload is the original itself: no such notice.
    const { sealed } = await issue();
    expect(await (await upload({ file: json(sealed) })).text()).not.toContain("printed-notice");
  });
});
