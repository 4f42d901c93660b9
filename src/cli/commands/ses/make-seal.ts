import { existsSync, readFileSync } from "node:fs";
import { loadCertificates, loadPrivateKey, makeSeal, readSeal } from "../../../pki/index.ts";
import { CommandFailure, EXIT, UsageError, writeOutput, type CliIo } from "../../io.ts";
import { parseCommand, usageText, type CommandSpec } from "../../spec.ts";
import { sealPicture } from "./picture.ts";

export const MAKE_SEAL_SPEC = {
  name: "ses make-seal",
  usage: [
    "ses make-seal --maker-key KEY.pem --maker-cert CERT.pem --holder-cert CERT.pem [--holder-cert …] --name NAME --out SEAL.der [--picture PNG] [--valid-from ISO] [--valid-days N] [--type N] [--es-id ID] [--force]",
  ],
  about: [
    "Make a GB/T 38540-2020 electronic seal (SESeal v4, DER): the seal maker (制章者) signs, SM3withSM2, the",
    "seal's name, type, validity, picture and the certificates of its holders (签章者) — the SM2 certificates",
    "allowed to sign with it (`jiexu seal --format ses --seal-file SEAL.der`). Without --picture the round",
    "seal is drawn: red ring, the name along the upper arc, a star (PNG, 40 mm).",
  ],
  options: {
    "maker-key": { type: "string" },
    "maker-pass": { type: "string" },
    "maker-cert": { type: "string" },
    "holder-cert": { type: "string", multiple: true },
    name: { type: "string" },
    out: { type: "string" },
    picture: { type: "string" },
    "valid-from": { type: "string" },
    "valid-days": { type: "string", default: "1825" },
    type: { type: "string", default: "1" },
    "es-id": { type: "string" },
    force: { type: "boolean" },
  },
  optionHelp: [
    [
      "--maker-key KEY.pem",
      "the seal maker's SM2 private key (PKCS#8 as `openssl genpkey -algorithm SM2` writes it, SEC1)",
    ],
    ["--maker-pass PW", "the password of an encrypted maker key"],
    ["--maker-cert CERT.pem", "the seal maker's certificate (goes into the seal; verifiers need its root)"],
    ["--holder-cert CERT.pem", "a holder's SM2 signing certificate (repeatable; every certificate in the file)"],
    ["--name NAME", "the seal's name, e.g. the agency's: 浙江省社会保险事业管理中心"],
    ["--out SEAL.der", "where to write the seal"],
    ["--picture PNG", "the seal picture (size from its pHYs, else 40 mm wide); default: drawn"],
    ["--valid-from ISO", "start of the seal's validity (default now)"],
    ["--valid-days N", "days of validity (default 1825)"],
    ["--type N", "the seal type code (default 1)"],
    ["--es-id ID", "the seal id, ASCII (default derived from the holder and the date)"],
    ["--force", "replace an existing --out file"],
  ],
  exits: [
    [EXIT.OK, "made"],
    [EXIT.DATAERR, "a key or certificate does not load or is not SM2, or the seal cannot be made from them"],
    [EXIT.NOINPUT, "an input file cannot be read"],
    [EXIT.CANTCREAT, "--out exists (no --force) or cannot be written"],
  ],
} satisfies CommandSpec;

const DAY_MS = 86_400_000;

/** `jiexu ses make-seal`: an SESeal made and signed by the seal maker, written as DER. */
export async function makeSealCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(MAKE_SEAL_SPEC, args, io);
  if (!parsed) return EXIT.OK;
  const { values } = parsed;
  const required = ["maker-key", "maker-cert", "holder-cert", "name", "out"] as const;
  if (required.some((k) => !values[k]?.length))
    throw new UsageError(`${required.map((k) => `--${k}`).join(", ")} are required\n${usageText(MAKE_SEAL_SPEC)}`);
  const days = wholeNumber(values["valid-days"], "--valid-days", 1, 36_500);
  const type = wholeNumber(values.type, "--type", 0, 255);
  const validStart = values["valid-from"] ? new Date(values["valid-from"]) : new Date();
  if (Number.isNaN(validStart.getTime()))
    throw new UsageError(`--valid-from is not an ISO date: ${values["valid-from"]}`);
  const esId = values["es-id"];
  if (esId !== undefined && !/^[\x21-\x7e]{1,64}$/.test(esId))
    throw new UsageError("--es-id is 1 to 64 printable ASCII characters (an IA5String)");
  const out = values.out!;
  if (!values.force && existsSync(out))
    throw new CommandFailure(`${out} exists (pass --force to replace it)`, EXIT.CANTCREAT);

  const makerCertificate = loadCertificates(readFileSync(values["maker-cert"]!))[0]!;
  const maker = await loadPrivateKey(readFileSync(values["maker-key"]!), {
    certificate: makerCertificate,
    ...(values["maker-pass"] !== undefined ? { password: values["maker-pass"] } : {}),
  });
  if (!maker.sm2)
    throw new CommandFailure("the maker key is not an SM2 key: GB/T 38540 seals are signed SM3withSM2", EXIT.DATAERR);
  const holderCertificates = values["holder-cert"]!.flatMap((f) => loadCertificates(readFileSync(f)));
  const seal = makeSeal({
    makerKey: maker.sm2,
    makerCertificate,
    holderCertificates,
    name: values.name!,
    type,
    ...(esId !== undefined ? { esId } : {}),
    picture: sealPicture(values.name!, values.picture),
    createdAt: new Date(),
    validStart,
    validEnd: new Date(validStart.getTime() + days * DAY_MS),
  });
  writeOutput(out, seal);
  const s = readSeal(seal);
  io.out(
    [
      `made seal ${s.esId} "${s.name}" → ${out} (${seal.length} bytes)`,
      `  valid:   ${s.validStart} – ${s.validEnd}`,
      `  maker:   certificate sha256 ${s.makerSha256}`,
      ...s.holderSha256.map((h) => `  holder:  certificate sha256 ${h}`),
      `  picture: ${s.picture.type} ${s.picture.widthMm}×${s.picture.heightMm} mm, sha256 ${s.picture.sha256}`,
    ].join("\n"),
  );
  return EXIT.OK;
}

function wholeNumber(text: string | undefined, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text ?? "") || n < min || n > max) throw new UsageError(`${flag} is a whole number ${min}–${max}`);
  return n;
}
