import { readFileSync } from "node:fs";
import { decodeSealFile } from "../../pki/index.ts";
import { sealedFromPdf } from "../../usecases/index.ts";
import { CommandFailure, EXIT, UsageError } from "../io.ts";

/**
 * What `jiexu verify --seal FILE` was given, told apart by its bytes as the gateway's /verify page does
 * (src/usecases/oversight/verify-upload.ts): a printed PDF (its attached sealed original), the gateway's
 * sealed-document JSON `{ document, seal }`, or a CMS seal (.p7s) or GB/T 38540 SES signature (DER or PEM).
 */
export type SealInput =
  | { kind: "p7s"; cms: Uint8Array; content: Uint8Array | undefined }
  | { kind: "sealed-json" | "pdf"; sealed: { document: Record<string, unknown>; seal: string } };

const PDF_MAGIC = "%PDF-";

export async function readSealInput(sealPath: string, contentPath: string | undefined): Promise<SealInput> {
  const bytes = new Uint8Array(readFileSync(sealPath));
  const sealed = isPdf(bytes) ? await originalOfPdf(bytes) : sealedJson(bytes);
  if (sealed) {
    if (contentPath !== undefined)
      throw new UsageError(
        `${sealPath} is a ${sealed.kind === "pdf" ? "printed PDF" : "sealed-document JSON"}: it carries the sealed document itself, drop --content`,
      );
    return sealed;
  }
  const cms = decodeSealFile(bytes);
  if (!cms && looksLikeJson(bytes))
    throw new CommandFailure(`${sealPath} is JSON but not a sealed document { document, seal }`, EXIT.DATAERR);
  // Not a seal at all: the verifier reports FORMAT_FAILURE (TOTAL_FAILED), as it always has.
  return {
    kind: "p7s",
    cms: cms ?? new Uint8Array(),
    content: contentPath === undefined ? undefined : new Uint8Array(readFileSync(contentPath)),
  };
}

function isPdf(bytes: Uint8Array): boolean {
  return [...PDF_MAGIC].every((ch, i) => bytes[i] === ch.charCodeAt(0));
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, ""));
  } catch {
    return undefined;
  }
}

function looksLikeJson(bytes: Uint8Array): boolean {
  return parseJson(bytes) !== undefined;
}

function sealedJson(bytes: Uint8Array): SealInput | undefined {
  const value = parseJson(bytes);
  if (typeof value !== "object" || value === null || !("document" in value) || !("seal" in value)) return undefined;
  const { document, seal } = value as { document: unknown; seal: unknown };
  if (typeof document !== "object" || document === null || Array.isArray(document) || typeof seal !== "string")
    throw new CommandFailure('a sealed document wants { document: {…}, seal: "base64" }', EXIT.DATAERR);
  return { kind: "sealed-json", sealed: { document: document as Record<string, unknown>, seal } };
}

/** The sealed original a printed PDF carries; only the PDF reader is needed, so no font is ever loaded. */
async function originalOfPdf(pdf: Uint8Array): Promise<SealInput> {
  const { createPdfPrinter } = await import("../../print/index.ts");
  const noFont = () => Promise.reject(new Error("not printing"));
  try {
    const printer = createPdfPrinter({ commonFont: noFont, fullFont: noFont });
    return { kind: "pdf", sealed: await sealedFromPdf({ printer }, pdf) };
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new CommandFailure(`${code ? `${code}: ` : ""}${(err as Error).message}`, EXIT.DATAERR);
  }
}
