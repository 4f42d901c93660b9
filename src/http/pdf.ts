import type { Context } from "hono";
import { z } from "zod";
import type { HonoEnv } from "./env.ts";

/** The OpenAPI response of a printed copy. */
export const PdfResponse = {
  description: "PDF（A4，附签章原件）The printed copy (A4 PDF carrying the sealed original as attached files)",
  contentType: "application/pdf",
  schema: z.string().meta({ format: "binary" }),
};

/** Where this gateway is reached: the configured public URL, else the request's own origin (QR codes lead there). */
export function baseUrlOf(c: Context<HonoEnv>): string {
  return c.var.info.publicUrl ?? new URL(c.req.url).origin;
}

/** A printed copy as a download: never cached (it holds a person's data), its name safe in any client. */
export function pdfResponse(c: Context<HonoEnv>, printed: { pdf: Uint8Array; filename: string }): Response {
  const ascii = printed.filename.replace(/[^A-Za-z0-9._-]/g, "_");
  return c.body(printed.pdf as Uint8Array<ArrayBuffer>, 200, {
    "content-type": "application/pdf",
    "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(printed.filename)}`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
}
