import { readFileSync } from "node:fs";
import { createSealer, decodeSealFile, loadCertificates, loadPrivateKey, type LoadedKey } from "../../pki/index.ts";
import { CommandFailure, EXIT, UsageError, writeOutput, type CliIo } from "../io.ts";
import { parseCommand, usageText, type CommandSpec } from "../spec.ts";

export const SPEC = {
  name: "seal",
  usage: [
    "seal --content FILE --key KEY.pem|KEY.p12 [--pass PW] [--cert CERT.pem] [--chain PEM]… --out FILE.p7s [--pss] [--attached] [--signing-time ISO]",
    "seal --format ses --seal-file SEAL.der --content FILE --key KEY.pem --cert CERT.pem --out SIG.der [--signing-time ISO]",
  ],
  about: [
    "Write a CAdES-B-B seal (DER, detached unless --attached) over a file's exact bytes; with --format ses a",
    "GB/T 38540-2020 SES_Signature instead: the electronic seal (`jiexu ses make-seal`) and the SM3 hash of the",
    "file, signed SM3withSM2 with an SM2 key whose certificate the seal lists as a holder.",
  ],
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
    format: { type: "string", default: "cades" },
    "seal-file": { type: "string" },
  },
  optionHelp: [
    ["--content FILE", "the bytes to seal (sealed as they are, not re-canonicalised)"],
    ["--key KEY", "the seal key: PEM (PKCS#8, encrypted with --pass) or PKCS#12; SM2 for --format ses"],
    ["--pass PW", "the password of the key or .p12"],
    ["--cert CERT.pem", "the seal certificate (optional with a .p12 that holds one); more certificates = chain"],
    ["--chain PEM", "intermediate certificates to embed (repeatable; CAdES only)"],
    ["--out FILE", "where to write the seal"],
    ["--pss", "RSA-PSS instead of PKCS#1 v1.5 (RSA keys)"],
    ["--attached", "embed the content in the seal (CAdES only)"],
    ["--signing-time ISO", "the signing time (default now)"],
    ["--format F", "cades (default) or ses (GB/T 38540 SES_Signature)"],
    ["--seal-file SEAL.der", "the electronic seal to sign with (--format ses)"],
  ],
  exits: [
    [EXIT.OK, "sealed"],
    [
      EXIT.DATAERR,
      "the key or certificate does not load (wrong password, mismatch); --format ses: the key is not SM2, the seal does not parse or does not list the certificate",
    ],
    [EXIT.NOINPUT, "an input file cannot be read"],
    [EXIT.CANTCREAT, "--out cannot be written"],
  ],
} satisfies CommandSpec;

/** `jiexu seal`: write a CAdES-B-B seal or a GB/T 38540 SES_Signature (DER) over a file's exact bytes. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values } = parsed;
  if (!values.content || !values.key || !values.out)
    throw new UsageError(`--content, --key and --out are required\n${usageText(SPEC)}`);
  const ses = sesOptions(values);
  const signingTime = values["signing-time"] ? new Date(values["signing-time"]) : new Date();
  if (Number.isNaN(signingTime.getTime()))
    throw new UsageError(`--signing-time is not an ISO date: ${values["signing-time"]}`);

  const certFromFlag = values.cert ? loadCertificates(readFileSync(values.cert)) : [];
  const key = await loadPrivateKey(readFileSync(values.key), {
    ...(values.pass !== undefined ? { password: values.pass } : {}),
    ...(certFromFlag[0] ? { certificate: certFromFlag[0] } : {}),
  });
  if (!key.certificate) throw new UsageError("no seal certificate: pass --cert, or a .p12 that holds one");
  if (key.sm2 && !ses)
    throw new CommandFailure(
      "an SM2 key seals in the GB/T 38540 format: add --format ses --seal-file SEAL.der (see jiexu ses make-seal)",
      EXIT.DATAERR,
    );
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
    ...(ses ? sesKey(key, ses.sealFile) : {}),
  });
  const content = readFileSync(values.content);
  const sealed = ses
    ? sealer.seal(content, signingTime)
    : sealer.seal(content, signingTime, { attached: values.attached ?? false });
  writeOutput(values.out, sealed);
  const what = ses ? "SES signature" : "sealed";
  io.out(
    `${what} ${values.content} → ${values.out} (${sealed.length} bytes, signer certificate sha256 ${sealer.certificateSha256})`,
  );
  return EXIT.OK;
}

/** --format and the options that go with it; CAdES-only options next to --format ses are usage errors. */
function sesOptions(values: {
  format?: string;
  "seal-file"?: string;
  attached?: boolean;
  pss?: boolean;
  chain?: string[];
}): { sealFile: string } | undefined {
  if (values.format !== "cades" && values.format !== "ses")
    throw new UsageError(`--format is cades or ses, not '${values.format}'\n${usageText(SPEC)}`);
  if (values.format === "cades") {
    if (values["seal-file"]) throw new UsageError("--seal-file goes with --format ses");
    return undefined;
  }
  if (!values["seal-file"]) throw new UsageError(`--format ses needs --seal-file SEAL.der\n${usageText(SPEC)}`);
  const cadesOnly = (["attached", "pss", "chain"] as const).filter((k) => values[k] !== undefined);
  if (cadesOnly.length)
    throw new UsageError(
      `${cadesOnly.map((k) => `--${k}`).join(", ")}: CAdES only (an SES signature is detached and carries the signer's certificate alone)`,
    );
  return { sealFile: values["seal-file"] };
}

/** The SM2 key and the electronic seal of an SES sealer (GB/T 38540 signs SM3withSM2 only). */
function sesKey(key: LoadedKey, sealFile: string) {
  if (!key.sm2) throw new CommandFailure("--format ses needs an SM2 key (GB/T 38540 signs SM3withSM2)", EXIT.DATAERR);
  const sesSeal = decodeSealFile(new Uint8Array(readFileSync(sealFile)));
  if (!sesSeal) throw new CommandFailure(`${sealFile} is neither DER nor PEM`, EXIT.DATAERR);
  return { sm2: key.sm2, sesSeal };
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
