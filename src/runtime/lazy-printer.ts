import type { DocumentPrinter } from "../usecases/index.ts";
import type { FontWarn } from "./fonts.ts";

/**
 * The Node gateway's printer, loaded on first use: the PDF, font and QR libraries and harfbuzz cost ≈1–1.5 s of
 * imports (under tsx) that a gateway which never prints — and every process the e2e tests start — should not
 * pay at start. A failed load is not remembered: the next print tries again.
 */
export function createLazyNodePrinter(cacheDir: string, warn?: FontWarn): DocumentPrinter {
  let loading: Promise<DocumentPrinter> | undefined;
  const printer = () => {
    loading ??= import("./fonts.ts")
      .then((fonts) => fonts.createNodePrinter(cacheDir, undefined, warn))
      .catch((err: unknown) => {
        loading = undefined;
        throw err;
      });
    return loading;
  };
  return {
    print: async (input) => (await printer()).print(input),
    attachments: async (pdf) => (await printer()).attachments(pdf),
  };
}
