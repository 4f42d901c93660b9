import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createSealer, loadCertificates, loadPrivateKey } from "../../pki/index.ts";
import { UsageError, type CliIo } from "../io.ts";

const USAGE =
  "usage: jiexu seal --content FILE --key KEY.pem|KEY.p12 [--pass PW] [--cert CERT.pem] [--chain PEM]… --out FILE.p7s [--pss] [--attached] [--signing-time ISO]";

/** `jiexu seal`: write a CAdES-B-B seal (DER) over a file's exact bytes. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      content: { type: "string" },
      key: { type: "string" },
      pass: { type: "string" },
      cert: { type: "string" },
      chain: { type: "string", multiple: true },
      out: { type: "string" },
      pss: { type: "boolean" },
      attached: { type: "boolean" },
      "signing-time": { type: "string" },
    },
  });
  if (!values.content || !values.key || !values.out) throw new UsageError(USAGE);
  const signingTime = values["signing-time"] ? new Date(values["signing-time"]) : new Date();
  if (Number.isNaN(signingTime.getTime()))
    throw new UsageError(`--signing-time is not an ISO date: ${values["signing-time"]}`);

  const certFromFlag = values.cert ? loadCertificates(readFileSync(values.cert)) : [];
  const key = await loadPrivateKey(readFileSync(values.key), {
    ...(values.pass !== undefined ? { password: values.pass } : {}),
    ...(certFromFlag[0] ? { certificate: certFromFlag[0] } : {}),
  });
  if (!key.certificate) throw new UsageError("no seal certificate: pass --cert, or a .p12 that holds one");
  const chain = [
    ...certFromFlag.slice(1),
    ...key.chain,
    ...(values.chain ?? []).flatMap((f) => loadCertificates(readFileSync(f))),
  ];
  const sealer = createSealer({
    privateKey: key.privateKey,
    certificate: key.certificate,
    chain: dedupe(chain, key.certificate),
    ...(values.pss ? { rsaPadding: "pss" as const } : {}),
  });
  const cms = sealer.seal(readFileSync(values.content), signingTime, { attached: values.attached ?? false });
  writeFileSync(values.out, cms);
  io.out(
    `sealed ${values.content} → ${values.out} (${cms.length} bytes, signer certificate sha256 ${sealer.certificateSha256})`,
  );
  return 0;
}

function dedupe(chain: Uint8Array[], signer: Uint8Array): Uint8Array[] {
  const seen = new Set([Buffer.from(signer).toString("base64")]);
  return chain.filter((c) => {
    const k = Buffer.from(c).toString("base64");
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
