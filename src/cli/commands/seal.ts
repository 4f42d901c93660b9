import { readFileSync } from "node:fs";
import { createSealer, loadCertificates, loadPrivateKey } from "../../pki/index.ts";
import { EXIT, UsageError, writeOutput, type CliIo } from "../io.ts";
import { parseCommand, usageText, type CommandSpec } from "../spec.ts";

export const SPEC = {
  name: "seal",
  usage: [
    "seal --content FILE --key KEY.pem|KEY.p12 [--pass PW] [--cert CERT.pem] [--chain PEM]… --out FILE.p7s [--pss] [--attached] [--signing-time ISO]",
  ],
  about: ["Write a CAdES-B-B seal (DER, detached unless --attached) over a file's exact bytes."],
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
  optionHelp: [
    ["--content FILE", "the bytes to seal (sealed as they are, not re-canonicalised)"],
    ["--key KEY", "the seal key: PEM (PKCS#8, encrypted with --pass) or PKCS#12"],
    ["--pass PW", "the password of the key or .p12"],
    ["--cert CERT.pem", "the seal certificate (optional with a .p12 that holds one); more certificates = chain"],
    ["--chain PEM", "intermediate certificates to embed (repeatable)"],
    ["--out FILE.p7s", "where to write the seal"],
    ["--pss", "RSA-PSS instead of PKCS#1 v1.5 (RSA keys)"],
    ["--attached", "embed the content in the seal"],
    ["--signing-time ISO", "the signing-time attribute (default now)"],
  ],
  exits: [
    [EXIT.OK, "sealed"],
    [EXIT.DATAERR, "the key or certificate does not load (wrong password, key and certificate do not match)"],
    [EXIT.NOINPUT, "an input file cannot be read"],
  ],
} satisfies CommandSpec;

/** `jiexu seal`: write a CAdES-B-B seal (DER) over a file's exact bytes. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values } = parsed;
  if (!values.content || !values.key || !values.out)
    throw new UsageError(`--content, --key and --out are required\n${usageText(SPEC)}`);
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
  writeOutput(values.out, cms);
  io.out(
    `sealed ${values.content} → ${values.out} (${cms.length} bytes, signer certificate sha256 ${sealer.certificateSha256})`,
  );
  return EXIT.OK;
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
