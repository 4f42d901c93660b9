import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * poppler-utils and zbar-tools over a PDF in a scratch folder (issue 13: what a person's PDF reader and phone
 * camera would see). Installed on CI by .ci/run.
 */
export function withPdf<T>(pdf: Uint8Array, use: (path: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "jiexu-pdf-"));
  try {
    const path = join(dir, "doc.pdf");
    writeFileSync(path, pdf);
    return use(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** The text pdftotext extracts (layout kept). */
export function pdfText(pdf: Uint8Array): string {
  return withPdf(pdf, (path) => run("pdftotext", ["-layout", path, "-"]));
}

/** `pdfdetach -list`: the names of the attached files, in order. */
export function pdfAttachmentNames(pdf: Uint8Array): string[] {
  return withPdf(pdf, (path) =>
    run("pdfdetach", ["-list", path])
      .split("\n")
      .map((l) => /^\d+: (.+)$/.exec(l)?.[1])
      .filter((n): n is string => n !== undefined),
  );
}

/** `pdfdetach -save n`: the bytes of the n-th attached file (1-based). */
export function pdfAttachment(pdf: Uint8Array, n: number): Uint8Array {
  return withPdf(pdf, (path, dir) => {
    const out = join(dir, "attached");
    run("pdfdetach", ["-save", String(n), "-o", out, path]);
    return new Uint8Array(readFileSync(out));
  });
}

/** The QR code on the first page, rendered at 150 dpi (pdftoppm) and decoded (zbarimg). */
export function pdfQrCode(pdf: Uint8Array): string {
  return withPdf(pdf, (path, dir) => {
    run("pdftoppm", ["-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", path, join(dir, "page")]);
    return run("zbarimg", ["--raw", "-q", join(dir, "page.png")]).trim();
  });
}
